"""Rate limits per token and per client IP: fixed windows counted in the database, so every
worker process of the server shares one count.

One statement per check (an upsert that returns the new count); a request over the limit is
answered 429 with Retry-After, the seconds until its window ends."""

import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.translation import gettext as _

from saldo.core.errors import SaldoError

RATE_SETTINGS = ("TOKEN_RATE", "IP_RATE", "AUTH_IP_RATE")


class RateLimited(SaldoError):
    code = "rate_limited"

    def __init__(self, *, retry_after: int):
        super().__init__(
            _("Terlalu banyak permintaan. Silakan coba lagi dalam %(seconds)d detik.") % {"seconds": retry_after}
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: int

    @classmethod
    def setting(cls, name: str) -> "Limit":
        requests, seconds = settings.SALDO_API[name]
        return cls(int(requests), int(seconds))


_HIT = """INSERT INTO api_ratecounter (bucket, window_start, hits) VALUES (%s, %s, 1)
          ON CONFLICT (bucket, window_start) DO UPDATE SET hits = api_ratecounter.hits + 1
          RETURNING hits"""


def rate_hit(*, bucket: str, limit: Limit, now: datetime) -> None:
    """Count one request for `bucket`; raise RateLimited when it is over `limit` in this window."""
    moment = now.timestamp()
    start = int(moment) // limit.seconds * limit.seconds
    with connection.cursor() as cursor:
        cursor.execute(_HIT, [bucket[:100], start])
        (hits,) = cursor.fetchone()
        if hits == 1 and bucket.startswith("ip:"):
            # Once per client per window: drop counters older than the longest window.
            longest = max(Limit.setting(name).seconds for name in RATE_SETTINGS)
            cursor.execute("DELETE FROM api_ratecounter WHERE window_start < %s", [int(moment) - longest])
    if hits > limit.requests:
        raise RateLimited(retry_after=max(1, math.ceil(start + limit.seconds - moment)))


def client_ip(request: HttpRequest) -> str:
    """The client's address: the peer, or the one PROXY_COUNT trusted proxies recorded."""
    proxies = settings.SALDO_API["PROXY_COUNT"]
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
