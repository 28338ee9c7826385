"""Per-client throttles of the portal, on top of identity's per-email login lockout: failed logins
and registrations per client address (and per KPJ: a guessed mother's name is tried against one
card), reset requests per address and per email.

Keys are keyed hashes, so the table shows neither addresses nor KPJ nor emails."""

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from saldo.core.errors import SaldoError
from saldo.portal.models import WebAttempt

Kind = WebAttempt.Kind

# kind -> (setting with the most attempts per key, setting with the window in minutes)
_LIMITS = {
    Kind.LOGIN: ("LOGIN_FAILURES_PER_CLIENT", "LOGIN_WINDOW_MINUTES"),
    Kind.REGISTER: ("REGISTER_FAILURES", "REGISTER_WINDOW_MINUTES"),
    Kind.RESET: ("RESET_REQUESTS", "RESET_WINDOW_MINUTES"),
}


class TooManyAttempts(SaldoError):
    code = "too_many_attempts"

    def __init__(self, *, until: datetime):
        super().__init__(_("Terlalu banyak percobaan. Silakan coba lagi nanti."))
        self.until = until


def throttle_key(kind: str, value: str) -> str:
    normalized = value.strip().lower()
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{normalized}".encode(), hashlib.sha256).hexdigest()


def throttle_check(*, kind: str, values: list[str], now: datetime) -> None:
    """Raise TooManyAttempts if any of `values` has used up its attempts within the window."""
    most, window = _limit(kind)
    for value in values:
        recent = list(
            WebAttempt.objects.filter(kind=kind, key=throttle_key(kind, value), at__gt=now - window, at__lte=now)
            .order_by("-at")
            .values_list("at", flat=True)[:most]
        )
        if len(recent) >= most:
            raise TooManyAttempts(until=recent[-1] + window)


def attempt_record(*, kind: str, values: list[str], now: datetime) -> None:
    WebAttempt.objects.bulk_create([WebAttempt(kind=kind, key=throttle_key(kind, v), at=now) for v in values])


def _limit(kind: str) -> tuple[int, timedelta]:
    most_name, window_name = _LIMITS[kind]
    config = settings.SALDO_PORTAL
    return config[most_name], timedelta(minutes=config[window_name])
