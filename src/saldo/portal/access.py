"""Session state of the portal: who is registering, whether a Cek Saldo PIN was confirmed.

Balances, statements and cards open only after a Cek Saldo PIN, for BALANCE_UNLOCK_MINUTES; the
unlock lives in the server-side session, so logging out or the session expiring closes it too."""

from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest

from saldo.identity.models import MemberAccount
from saldo.identity.selectors import account_with_freeze

REGISTERING = "portal.registering_account"
BALANCE_UNTIL = "portal.balance_until"
BALANCE_PIN_SENT = "portal.balance_pin_sent"
RESET_EMAIL = "portal.reset_email"


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR: behind a reverse proxy, the proxy must pass the client address on (gunicorn's
    # --forwarded-allow-ips), never a header a client could set.
    return request.META.get("REMOTE_ADDR", "")


def member_account(request: HttpRequest) -> MemberAccount | None:
    """The logged-in member's account, or None (not logged in, or a staff user without one)."""
    if not request.user.is_authenticated:
        return None
    account = account_with_freeze(user_id=request.user.pk)
    if account is not None and (account.person.deceased_on or account.frozen):
        logout(request)  # a "not me" report (or a death) ends every web session at its next request
        return None
    return account


def registering_set(request: HttpRequest, account_id: int) -> None:
    request.session[REGISTERING] = account_id


def registering_get(request: HttpRequest) -> int | None:
    return request.session.get(REGISTERING)


def registering_done(request: HttpRequest) -> None:
    request.session.pop(REGISTERING, None)


def reset_email_set(request: HttpRequest, email: str) -> None:
    """The email a reset code was asked for, to fill in on the page where the code is typed."""
    request.session[RESET_EMAIL] = email


def reset_email_get(request: HttpRequest) -> str:
    return request.session.get(RESET_EMAIL, "")


def reset_email_done(request: HttpRequest) -> None:
    request.session.pop(RESET_EMAIL, None)


def balance_pin_sent(request: HttpRequest) -> bool:
    return bool(request.session.get(BALANCE_PIN_SENT))


def balance_pin_mark_sent(request: HttpRequest, sent: bool = True) -> None:
    request.session[BALANCE_PIN_SENT] = sent


def balance_unlock(request: HttpRequest, *, now: datetime) -> None:
    minutes = settings.SALDO_PORTAL["BALANCE_UNLOCK_MINUTES"]
    request.session[BALANCE_UNTIL] = (now + timedelta(minutes=minutes)).isoformat()
    request.session[BALANCE_PIN_SENT] = False


def balance_unlocked(request: HttpRequest, *, now: datetime) -> bool:
    until = request.session.get(BALANCE_UNTIL)
    return bool(until) and datetime.fromisoformat(until) > now


def member_required(view):
    """Only for a logged-in member: others go to the login page (and come back after it)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        account = member_account(request)
        if account is None:
            return redirect_to_login(request.get_full_path())
        request.account = account
        return view(request, *args, **kwargs)

    return wrapped
