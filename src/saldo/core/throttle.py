"""Attempts counted per key within a window, for the adapters' throttles on top of identity's
per-email login lockout: the portal's failed logins and registrations per client address and
reset requests per address and email, the API's failed logins per client address.

Each caller names its kind and gives its limit. Keys are keyed hashes, so the table shows
neither addresses nor KPJ nor emails."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from saldo.core.errors import SaldoError
from saldo.core.models import Attempt


@dataclass(frozen=True)
class Limit:
    """At most `most` attempts per key within `window`."""

    most: int
    window: timedelta


class TooManyAttempts(SaldoError):
    code = "too_many_attempts"

    def __init__(self, *, until: datetime, message: str | None = None):
        super().__init__(message or _("Terlalu banyak percobaan. Silakan coba lagi nanti."))
        self.until = until


def throttle_key(kind: str, value: str) -> str:
    normalized = value.strip().lower()
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{normalized}".encode(), hashlib.sha256).hexdigest()


def throttle_check(*, kind: str, limit: Limit, values: list[str], now: datetime) -> None:
    """Raise TooManyAttempts if any of `values` has used up its attempts within the window;
    `until` is when the oldest of them leaves the window."""
    for value in values:
        recent = list(
            Attempt.objects.filter(
                kind=kind, key=throttle_key(kind, value), at__gt=now - limit.window, at__lte=now
            )
            .order_by("-at")
            .values_list("at", flat=True)[: limit.most]
        )
        if len(recent) >= limit.most:
            raise TooManyAttempts(until=recent[-1] + limit.window)


def attempt_record(*, kind: str, values: list[str], now: datetime) -> None:
    Attempt.objects.bulk_create([Attempt(kind=kind, key=throttle_key(kind, v), at=now) for v in values])
