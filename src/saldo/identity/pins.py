"""One-time PINs: issued by SMS (and e-mail where asked), checked once, for one purpose.

A PIN is valid PIN_VALID_MINUTES, allows MAX_TRIES wrong entries and is then spent; a new one
must be asked for, at most MAX_PER_HOUR per subject and purpose. Issuing a new PIN spends the
older ones of the same subject and purpose, so only the latest SMS works. Every state change is a
conditional UPDATE: two requests racing with the same PIN cannot both use it.
"""

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from saldo.channels.models import Channel
from saldo.channels.outbox import outbound_queue
from saldo.core.errors import SaldoError
from saldo.identity.models import OneTimePin

log = logging.getLogger(__name__)
Purpose = OneTimePin.Purpose


class PinError(SaldoError):
    """A PIN that cannot be accepted; `code` says why."""


class PinWrong(PinError):
    code = "pin_wrong"

    def __init__(self, *, remaining: int):
        super().__init__(_("PIN salah. Sisa percobaan: %(remaining)d.") % {"remaining": remaining})
        self.remaining = remaining


class PinExpired(PinError):
    """No live PIN: never issued, expired, already used, or replaced by a newer one."""

    code = "pin_expired"

    def __init__(self) -> None:
        super().__init__(_("PIN tidak berlaku lagi. Silakan minta PIN baru."))


class PinExhausted(PinError):
    code = "pin_exhausted"

    def __init__(self) -> None:
        super().__init__(_("PIN salah terlalu banyak. Silakan minta PIN baru."))


class PinRateLimited(PinError):
    code = "pin_rate_limited"

    def __init__(self, *, retry_at: datetime):
        super().__init__(_("Terlalu banyak permintaan PIN. Silakan coba lagi nanti."))
        self.retry_at = retry_at


@dataclass(frozen=True)
class PinIssued:
    pin_id: int
    expires_at: datetime


def pin_issue(
    *,
    purpose: str,
    subject: str,
    phone: str,
    now: datetime,
    email: str | None = None,
    text: Callable[[str, int], str] | None = None,
) -> PinIssued:
    """Create a PIN for (purpose, subject), text it to `phone` (and mail it to `email`) after commit.
    `phone` and `email` are contacts on record, never ones a caller typed. `text(code, minutes)`
    words the message when the purpose's usual words are not enough.

    Raises PinRateLimited when MAX_PER_HOUR PINs were issued for it in the last hour."""
    config = settings.SALDO_PINS
    with transaction.atomic():
        issued, code = pin_create(purpose=purpose, subject=subject, now=now)
        if text is None:
            message = pin_message(code=code, purpose=purpose, minutes=config["VALID_MINUTES"])
        else:
            message = text(code, config["VALID_MINUTES"])
        outbound_queue(channel=Channel.SMS, to=phone, text=message, now=now)
        if email:
            transaction.on_commit(partial(_mail, to=email, text=message), robust=True)
    return issued


def pin_create(
    *, purpose: str, subject: str, now: datetime, digits: int | None = None, valid_minutes: int | None = None
) -> tuple[PinIssued, str]:
    """A new PIN for (purpose, subject), and its code, for a caller that delivers it itself (the
    portal mails a password-reset code in a message of its own). Older live PINs of the same
    subject and purpose are spent: only the newest works. `digits` and `valid_minutes` default to
    SALDO_PINS. Raises PinRateLimited. Deliver the code after the caller's transaction commits."""
    config = settings.SALDO_PINS
    digits = digits or config["DIGITS"]
    minutes = valid_minutes or config["VALID_MINUTES"]
    with transaction.atomic():
        _check_rate(purpose=purpose, subject=subject, now=now, most=config["MAX_PER_HOUR"])
        # Only the newest PIN works: an older message arriving late must not be usable.
        OneTimePin.objects.filter(purpose=purpose, subject=subject, used_at__isnull=True).update(used_at=now)
        code = f"{secrets.randbelow(10**digits):0{digits}d}"
        pin = OneTimePin.objects.create(
            purpose=purpose,
            subject=subject,
            code_hash=_hash(subject=subject, code=code),
            issued_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    return PinIssued(pin_id=pin.id, expires_at=pin.expires_at), code


def pin_message(*, code: str, purpose: str, minutes: int) -> str:
    """The SMS text: GSM-7, under 160 characters, and it says never to share the PIN."""
    what = Purpose(purpose).label
    return _("PIN Saldo untuk %(what)s: %(code)s. Berlaku %(minutes)d menit. JANGAN berikan kepada siapa pun.") % {
        "what": what,
        "code": code,
        "minutes": minutes,
    }


def pin_verify(*, purpose: str, subject: str, code: str, now: datetime) -> None:
    """Use the live PIN of (purpose, subject) if `code` is right; otherwise count a try and raise.

    Raises PinExpired, PinExhausted or PinWrong (with the tries left). A wrong try is committed
    even when the caller's transaction rolls back: call this outside an atomic block."""
    max_tries = settings.SALDO_PINS["MAX_TRIES"]
    pin = (
        OneTimePin.objects.filter(purpose=purpose, subject=subject, used_at__isnull=True, expires_at__gt=now)
        .order_by("-issued_at", "-id")
        .first()
    )
    if pin is None:
        raise PinExpired()
    if pin.tries >= max_tries:
        raise PinExhausted()
    live = OneTimePin.objects.filter(id=pin.id, used_at__isnull=True, tries__lt=max_tries)
    if hmac.compare_digest(pin.code_hash, _hash(subject=subject, code=code.strip())):
        if not live.update(used_at=now):
            raise PinExpired()  # a concurrent request used it first
        return
    live.update(tries=F("tries") + 1)
    remaining = max_tries - pin.tries - 1
    if remaining <= 0:
        raise PinExhausted()
    raise PinWrong(remaining=remaining)


def _check_rate(*, purpose: str, subject: str, now: datetime, most: int) -> None:
    hour_ago = now - timedelta(hours=1)
    recent = list(
        OneTimePin.objects.filter(purpose=purpose, subject=subject, issued_at__gt=hour_ago)
        .order_by("-issued_at")
        .values_list("issued_at", flat=True)[:most]
    )
    if len(recent) >= most:
        raise PinRateLimited(retry_at=recent[-1] + timedelta(hours=1))


def _hash(*, subject: str, code: str) -> str:
    # Keyed by SECRET_KEY and the subject: a leaked table gives no PIN, nor one usable elsewhere.
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{subject}:{code}".encode(), hashlib.sha256).hexdigest()


def _mail(*, to: str, text: str) -> None:
    try:
        send_mail(_("PIN Saldo"), text, None, [to])
    except OSError:  # the SMS already carries the PIN; a mail server that is down must not fail the request
        log.warning("PIN e-mail not sent: mail server unreachable")
