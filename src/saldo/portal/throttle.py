"""Per-client throttles of the portal, on top of identity's per-email login lockout: failed logins
and unknown "not me" codes per client address, reset requests per address and per email (failed
registrations are counted by identity, per number, KPJ, NIK and address, on every channel). The
counting is saldo.core.throttle's (shared with the API); this module names the portal's kinds and
their limits (settings.SALDO_PORTAL)."""

from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings

from saldo.core import throttle
from saldo.core.throttle import Limit, TooManyAttempts, attempt_record, throttle_key

__all__ = ["Kind", "TooManyAttempts", "attempt_record", "throttle_check", "throttle_key"]


class Kind(StrEnum):
    LOGIN = "login"
    REPORT = "report"
    RESET = "reset"


# kind -> (setting with the most attempts per key, setting with the window in minutes)
_LIMITS = {
    Kind.LOGIN: ("LOGIN_FAILURES_PER_CLIENT", "LOGIN_WINDOW_MINUTES"),
    Kind.REPORT: ("REPORT_FAILURES", "REPORT_WINDOW_MINUTES"),
    Kind.RESET: ("RESET_REQUESTS", "RESET_WINDOW_MINUTES"),
}


def throttle_check(*, kind: str, values: list[str], now: datetime) -> None:
    """Raise TooManyAttempts if any of `values` has used up its attempts within the window."""
    throttle.throttle_check(kind=kind, limit=_limit(kind), values=values, now=now)


def _limit(kind: str) -> Limit:
    most_name, window_name = _LIMITS[kind]
    config = settings.SALDO_PORTAL
    return Limit(most=config[most_name], window=timedelta(minutes=config[window_name]))
