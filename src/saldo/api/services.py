"""The mobile app's sign-in: registration and login each end with an SMS PIN, and then a session
for the device with an access token (minutes) and a refresh token (days, this device only).

Every token and challenge is a random string given to the app once; only its SHA-256 is stored."""

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saldo.api.models import ApiSession, ApiToken, AuthChallenge
from saldo.core.errors import NotFound, SaldoError
from saldo.core.masking import phone_masked
from saldo.core.throttle import Limit, TooManyAttempts, attempt_record, throttle_check
from saldo.identity.accounts import (
    LoginRefused,
    Registration,
    account_activate,
    account_login,
    account_login_with_pin,
    account_register,
    account_subject,
    login_pin_send,
)
from saldo.identity.models import MemberAccount, OneTimePin, SecurityEvent
from saldo.identity.notices import security_notice
from saldo.identity.pins import pin_issue, pin_verify


class TokenRefused(SaldoError):
    """A token that is unknown, expired, revoked, spent or from another device: nothing says which."""

    code = "token_invalid"

    def __init__(self) -> None:
        super().__init__(_("Sesi tidak berlaku lagi. Silakan masuk kembali."))


class ChallengeRefused(SaldoError):
    code = "challenge_invalid"

    def __init__(self) -> None:
        super().__init__(_("Langkah masuk ini tidak berlaku lagi. Silakan ulangi dari awal."))


@dataclass(frozen=True)
class TokenPair:
    session_id: int
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime


@dataclass(frozen=True)
class Challenge:
    challenge: str
    expires_at: datetime
    sent_to: str  # where the PIN went: the phone on record, masked


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- registration and login -------------------------------------------------------------------


def app_register(*, registration: Registration, client: str, now: datetime) -> Challenge:
    """Check the registration against the registry and text the activation PIN to the phone on
    record (identity's account_register); the app gets a challenge to send back with the PIN."""
    started = account_register(registration=registration, channel="api", now=now, client=client)
    account = MemberAccount.objects.get(id=started.account_id)
    return _challenge_create(purpose=AuthChallenge.Purpose.ACTIVATION, account=account, now=now)


def app_activate(
    *, challenge: str, pin: str, password: str, device_id: str, device_name: str, now: datetime
) -> TokenPair:
    """Set the password and open the account with the PIN, then a session for this device."""
    found = _challenge_live(purpose=AuthChallenge.Purpose.ACTIVATION, challenge=challenge, now=now)
    # Not in a transaction: a wrong PIN try must stay counted (identity.pins.pin_verify).
    account = account_activate(account_id=found.account_id, pin=pin, password=password, now=now, channel="api")
    _challenge_spend(found, now=now)
    return session_open(account=account, device_id=device_id, device_name=device_name, now=now)


class LoginThrottled(TooManyAttempts):
    """Too many failed logins from one client address, whatever the emails tried."""

    code = "login_throttled"

    def __init__(self, *, until: datetime, now: datetime):
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        super().__init__(
            until=until,
            message=_(
                "Terlalu banyak percobaan masuk yang gagal dari alamat jaringan ini. "
                "Silakan coba lagi dalam %(minutes)d menit."
            )
            % {"minutes": minutes},
        )


LOGIN_KIND = "api_login"  # the API's failed logins in core.Attempt, counted apart from the portal's


def app_login(*, email: str, password: str, client: str, now: datetime) -> Challenge:
    """Email and password (identity's lockout per email applies), then a login PIN by SMS.

    Failed logins are also counted per client address, as the portal counts its own: once
    LOGIN_FAILURES_PER_CLIENT are used up within LOGIN_WINDOW_MINUTES, LoginThrottled, before
    any password is checked."""
    values = _login_throttle_check(client=client, now=now)
    try:
        account = account_login(email=email, password=password, now=now, client=client)
    except LoginRefused:
        attempt_record(kind=LOGIN_KIND, values=values, now=now)
        raise
    with transaction.atomic():
        pin_issue(purpose=OneTimePin.Purpose.LOGIN, subject=account_subject(account), phone=account.person.phone,
                  now=now)
        return _challenge_create(purpose=AuthChallenge.Purpose.LOGIN, account=account, now=now)


def _login_throttle_check(*, client: str, now: datetime) -> list[str]:
    """LoginThrottled once LOGIN_FAILURES_PER_CLIENT failed log-ins came from this address within
    LOGIN_WINDOW_MINUTES; the throttle's values, for counting a failure."""
    values = [f"client:{client}"]
    config = settings.SALDO_API
    limit = Limit(most=config["LOGIN_FAILURES_PER_CLIENT"], window=timedelta(minutes=config["LOGIN_WINDOW_MINUTES"]))
    try:
        throttle_check(kind=LOGIN_KIND, limit=limit, values=values, now=now)
    except TooManyAttempts as limited:
        raise LoginThrottled(until=limited.until, now=now) from None
    return values


def app_login_pin_send(*, email: str, now: datetime) -> None:
    """While an email is slowed down by failed log-ins: a log-in PIN to the phone on record, if the
    email has an account (the caller answers the same either way)."""
    login_pin_send(email=email, now=now)


def app_login_with_pin(
    *, email: str, pin: str, password: str, device_id: str, device_name: str, client: str, now: datetime
) -> TokenPair:
    """The PIN from app_login_pin_send and the password, then a session for this device."""
    values = _login_throttle_check(client=client, now=now)
    try:
        account = account_login_with_pin(email=email, pin=pin, password=password, now=now, client=client)
    except LoginRefused:
        attempt_record(kind=LOGIN_KIND, values=values, now=now)
        raise
    return session_open(account=account, device_id=device_id, device_name=device_name, now=now)


def app_login_verify(*, challenge: str, pin: str, device_id: str, device_name: str, now: datetime) -> TokenPair:
    found = _challenge_live(purpose=AuthChallenge.Purpose.LOGIN, challenge=challenge, now=now)
    account = found.account
    pin_verify(purpose=OneTimePin.Purpose.LOGIN, subject=account_subject(account), code=pin, now=now)
    _challenge_spend(found, now=now)
    return session_open(account=account, device_id=device_id, device_name=device_name, now=now)


def _challenge_create(*, purpose: str, account: MemberAccount, now: datetime) -> Challenge:
    secret = f"sch_{secrets.token_urlsafe(32)}"
    expires_at = now + timedelta(minutes=settings.SALDO_API["CHALLENGE_MINUTES"])
    AuthChallenge.objects.create(
        purpose=purpose, account=account, challenge_hash=token_hash(secret), created_at=now, expires_at=expires_at
    )
    return Challenge(secret, expires_at, phone_masked(account.person.phone))


def _challenge_live(*, purpose: str, challenge: str, now: datetime) -> AuthChallenge:
    found = (
        AuthChallenge.objects.select_related("account__user")
        .filter(purpose=purpose, challenge_hash=token_hash(challenge), used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if found is None:
        raise ChallengeRefused()
    return found


def _challenge_spend(challenge: AuthChallenge, *, now: datetime) -> None:
    if not AuthChallenge.objects.filter(id=challenge.id, used_at__isnull=True).update(used_at=now):
        raise ChallengeRefused()  # the same challenge completed twice at once: one wins


# --- sessions ----------------------------------------------------------------------------------


def session_open(*, account: MemberAccount, device_id: str, device_name: str, now: datetime) -> TokenPair:
    """A new session for (account, device); a live session of the same device is revoked first.
    A device the account never used before is told to the contacts on record."""
    with transaction.atomic():
        sessions = ApiSession.objects.filter(account=account)
        # The first device is the one the account was opened with (told as the opening itself).
        if sessions.exists() and not sessions.filter(device_id=device_id).exists():
            security_notice(person=account.person, kind=SecurityEvent.Kind.NEW_DEVICE, channel="api", now=now,
                            device=_device_label(device_name or device_id))
        ApiSession.objects.filter(account=account, device_id=device_id, revoked_at__isnull=True).update(revoked_at=now)
        try:
            with transaction.atomic():
                session = ApiSession.objects.create(
                    account=account, device_id=device_id, device_name=device_name, created_at=now, last_used_at=now
                )
        except IntegrityError:  # the same device logged in twice at once
            raise TokenRefused() from None
        return _tokens_issue(session, now=now)


def _device_label(name: str) -> str:
    """The app's device name as a notice can carry it: plain letters, short."""
    plain = "".join(c if c.isascii() and (c.isalnum() or c in " -_.") else " " for c in name)
    return " ".join(plain.split())[:24] or "?"


def session_refresh(*, refresh_token: str, device_id: str, now: datetime) -> TokenPair:
    """Exchange a refresh token for a new pair (the old one is spent). A spent refresh token
    presented again means it was copied: the whole session is revoked."""
    token = (
        ApiToken.objects.select_related("session")
        .filter(token_hash=token_hash(refresh_token), kind=ApiToken.Kind.REFRESH)
        .first()
    )
    if token is None or token.session.revoked_at is not None or token.session.device_id != device_id:
        raise TokenRefused()
    if token.used_at is not None:
        session_revoke(session_id=token.session_id, now=now)
        raise TokenRefused()
    if token.expires_at <= now:
        raise TokenRefused()
    with transaction.atomic():
        if not ApiToken.objects.filter(id=token.id, used_at__isnull=True).update(used_at=now):
            raise TokenRefused()  # spent by a concurrent refresh
        ApiSession.objects.filter(id=token.session_id).update(last_used_at=now)
        # Tokens long dead are of no use to anyone; keep the table small.
        ApiToken.objects.filter(session_id=token.session_id, expires_at__lt=now - timedelta(days=1)).delete()
        return _tokens_issue(token.session, now=now)


def session_revoke(*, session_id: int, now: datetime) -> None:
    ApiSession.objects.filter(id=session_id, revoked_at__isnull=True).update(revoked_at=now)


def sessions_revoke_all(*, account_id: int, now: datetime, keep_session_id: int | None = None) -> int:
    """Log every device of the account out, but the session `keep_session_id` (the one that asked)."""
    live = ApiSession.objects.filter(account_id=account_id, revoked_at__isnull=True)
    if keep_session_id is not None:
        live = live.exclude(id=keep_session_id)
    return live.update(revoked_at=now)


def device_revoke(*, account_id: int, device_id: str, now: datetime) -> None:
    """Log one of the member's devices out; another member's device is not found."""
    if not ApiSession.objects.filter(account_id=account_id, device_id=device_id, revoked_at__isnull=True).update(
        revoked_at=now
    ):
        raise NotFound(_("Perangkat tidak ditemukan."), code="device_not_found")


def _tokens_issue(session: ApiSession, *, now: datetime) -> TokenPair:
    config = settings.SALDO_API
    access, refresh = f"sat_{secrets.token_urlsafe(32)}", f"srt_{secrets.token_urlsafe(32)}"
    access_expires = now + timedelta(minutes=config["ACCESS_TOKEN_MINUTES"])
    refresh_expires = now + timedelta(days=config["REFRESH_TOKEN_DAYS"])
    ApiToken.objects.bulk_create(
        [
            ApiToken(session=session, kind=ApiToken.Kind.ACCESS, token_hash=token_hash(access), issued_at=now,
                     expires_at=access_expires),
            ApiToken(session=session, kind=ApiToken.Kind.REFRESH, token_hash=token_hash(refresh), issued_at=now,
                     expires_at=refresh_expires),
        ]
    )
    return TokenPair(session.id, access, access_expires, refresh, refresh_expires)
