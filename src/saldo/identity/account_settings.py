"""A signed-in member's account settings: a new password, a new phone or email while the member
still has the old one, and the numbers bound to their cards.

Every change is confirmed with the password first: a wrong one counts as a failed log-in with the
account's email from that client address, and while log-ins are locked or slowed down for it
these refuse too (ReauthLocked), so a stolen session cannot be used to guess the password. A new
phone or email then takes two PINs, in this order:

    contact_change_start (password, new contact)   -> a PIN by SMS to the phone on record
    contact_change_confirm_old (that PIN)          -> a PIN to the new phone (SMS) or email (mail)
    contact_change_confirm_new (that PIN)          -> the contact on record is the new one

The first PIN proves the member still holds the phone on record (a password alone changes
nothing); the second that the new contact is theirs and typed right. Nothing goes to a new contact
before the phone on record answered, so the steps cannot be used to text or mail strangers. The
steps keep no state of their own: each PIN's subject names the account and a keyed hash of the new
contact, so a PIN works only for the contact it was sent for, and starting again spends the PINs
of any change started before.

When the phone changes, the numbers bound from the old phone end (whoever holds that SIM next must
not read the member's balance by SMS). The old and the new contacts both get the notice.

A member who lost the old phone or email asks for the change with identity.contacts instead
(e-KTP photo and selfie, staff approval, cooling-off)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saldo.audit.services import disclosure_record
from saldo.channels.models import Channel
from saldo.channels.outbox import outbound_queue
from saldo.core.errors import FieldError, ValidationError
from saldo.core.masking import email_masked, phone_masked
from saldo.core.periods import wib
from saldo.core.throttle import TooManyAttempts, throttle_key
from saldo.identity.accounts import login_failure_record, login_locked_until, password_set
from saldo.identity.models import MemberAccount, OneTimePin, SecurityEvent
from saldo.identity.notices import security_notice
from saldo.identity.pins import PinRateLimited, pin_create, pin_message, pin_verify
from saldo.identity.selectors import person_bindings
from saldo.identity.services import NoPhoneOnRecord, binding_end, bindings_end
from saldo.registry.models import Person
from saldo.registry.validators import normalize_phone, validate_email, validate_phone

Kind = SecurityEvent.Kind
Purpose = OneTimePin.Purpose
ContactKind = Literal["phone", "email"]
PHONE: ContactKind = "phone"
EMAIL: ContactKind = "email"
# The new email as the SMS to the phone on record names it (masked), at most this long.
EMAIL_IN_SMS_MAX = 40
log = logging.getLogger(__name__)


class PasswordWrong(ValidationError):
    """The password typed to confirm a change is not the account's (counted as a failed log-in)."""

    code = "password_wrong"

    def __init__(self, *, field: str):
        super().__init__([FieldError(field, _("kata sandi salah"))])


class ReauthLocked(TooManyAttempts):
    """Log-ins with this account's email are locked for this client, or slowed down: no password
    is checked here either until `until`."""

    code = "reauth_locked"

    def __init__(self, *, until: datetime):
        super().__init__(
            until=until,
            message=_("Terlalu banyak kata sandi salah. Silakan coba lagi setelah %(until)s WIB.")
            % {"until": wib(until)},
        )


@dataclass(frozen=True)
class PinSent:
    """Where a step's PIN went (masked) and until when it works."""

    sent_to: str
    expires_at: datetime


@dataclass(frozen=True)
class BoundNumber:
    """A number bound to one of the member's cards for SMS and WhatsApp."""

    id: int
    phone: str  # masked, unless it is the member's own phone on record
    own: bool  # the phone on record
    kpj: str
    channel: str  # where it was bound: sms, whatsapp, web, api
    bound_at: datetime


def reauthenticate(*, account: MemberAccount, password: str, now: datetime, client: str = "",
                   field: str = "password") -> None:
    """The signed-in member types the password again before a change. Raises ReauthLocked, or
    PasswordWrong on `field` (counted as a failed log-in)."""
    email = account.user.username
    until = login_locked_until(email=email, now=now, client=client)
    if until is not None:
        raise ReauthLocked(until=until)
    if not account.user.check_password(password):
        login_failure_record(email=email, now=now, client=client)
        raise PasswordWrong(field=field)


def password_change(*, account: MemberAccount, current_password: str, new_password: str, channel: str,
                    now: datetime, client: str = "") -> None:
    """The current password, then the new one (Django's validators; identity.accounts.password_set
    tells every contact on record). Which sessions stay open is the caller's: each channel keeps
    the one the change was made in. Raises ReauthLocked, PasswordWrong (`current_password`) or
    ValidationError (`new_password`)."""
    reauthenticate(account=account, password=current_password, now=now, client=client, field="current_password")
    if new_password == current_password:
        raise ValidationError([FieldError("new_password", _("kata sandi baru sama dengan yang lama"))])
    try:
        password_set(account=account, password=new_password, channel=channel, now=now)
    except ValidationError as weak:
        raise ValidationError([FieldError("new_password", e.message) for e in weak.errors]) from None


def contact_change_start(*, account: MemberAccount, kind: ContactKind, value: str, password: str, channel: str,
                         now: datetime, client: str = "") -> PinSent:
    """Step 1: the password and the new phone or email; a PIN by SMS to the phone on record.

    Raises ReauthLocked, PasswordWrong (`password`), ValidationError (`phone` / `email`: not valid,
    the one on record already, another person's phone on record, another account's login),
    NoPhoneOnRecord or PinRateLimited (MAX_PER_HOUR changes started an hour)."""
    reauthenticate(account=account, password=password, now=now, client=client)
    new = _new_contact(account, kind=kind, value=value)
    person = account.person
    if not person.phone:
        raise NoPhoneOnRecord()
    with transaction.atomic():
        _check_rate(account, now=now)
        # Only the change started last can go on.
        OneTimePin.objects.filter(purpose=Purpose.CONTACT, subject__startswith=f"{_prefix(account)}:",
                                  used_at__isnull=True).update(used_at=now)
        issued, code = pin_create(purpose=Purpose.CONTACT, subject=_subject(account, "old", kind, new), now=now)
        outbound_queue(channel=Channel.SMS, to=person.phone, now=now,
                       text=_old_contact_text(code=code, kind=kind, new=new))
    return PinSent(phone_masked(person.phone), issued.expires_at)


def contact_change_confirm_old(*, account: MemberAccount, kind: ContactKind, value: str, pin: str,
                               now: datetime) -> PinSent:
    """Step 2: the PIN the phone on record received; a PIN to the new phone by SMS or to the new
    email by mail. Raises ValidationError, the PinError family (PinExpired also for a contact no
    change was started for) or PinRateLimited. Call it outside a transaction: a wrong try stays
    counted."""
    new = _new_contact(account, kind=kind, value=value)
    pin_verify(purpose=Purpose.CONTACT, subject=_subject(account, "old", kind, new), code=pin, now=now)
    minutes = settings.SALDO_PINS["VALID_MINUTES"]
    with transaction.atomic():
        issued, code = pin_create(purpose=Purpose.CONTACT, subject=_subject(account, "new", kind, new), now=now)
        message = pin_message(code=code, purpose=Purpose.CONTACT, minutes=minutes)
        if kind == PHONE:
            # The one PIN Saldo sends to a number not on record: it proves that number, and opens
            # nothing by itself (the phone on record has answered already).
            outbound_queue(channel=Channel.SMS, to=new, text=message, now=now)
        else:
            transaction.on_commit(partial(_mail, to=new, text=message), robust=True)
    return PinSent(phone_masked(new) if kind == PHONE else email_masked(new), issued.expires_at)


def contact_change_confirm_new(*, account: MemberAccount, kind: ContactKind, value: str, pin: str, channel: str,
                               now: datetime) -> None:
    """Step 3: the PIN the new contact received; the contact on record changes (for an email, the
    account's login too), the numbers bound from the old phone end, and the old and the new contacts
    are told. Raises ValidationError (the contact was taken meanwhile) or the PinError family.
    Call it outside a transaction: a wrong try stays counted."""
    new = _new_contact(account, kind=kind, value=value)
    pin_verify(purpose=Purpose.CONTACT, subject=_subject(account, "new", kind, new), code=pin, now=now)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(id=account.person_id)
        account.person = person
        _new_contact(account, kind=kind, value=new)  # taken by someone else since the start?
        if kind == PHONE:
            old = person.phone
            person.phone = new
            person.save(update_fields=["phone"])
            if old:
                bindings_end(person_id=person.id, now=now, reason="contact_change", only_phone=old)
            security_notice(person=person, kind=Kind.PHONE_CHANGED, channel=channel, now=now, former_phone=old,
                            phone=phone_masked(new))
        else:
            old = person.email
            _login_email_set(account, email=new)
            person.email = new
            person.save(update_fields=["email"])
            security_notice(person=person, kind=Kind.EMAIL_CHANGED, channel=channel, now=now, former_email=old,
                            email=email_masked(new))


def account_bindings(*, account: MemberAccount, channel: str, recipient: str, now: datetime) -> list[BoundNumber]:
    """The numbers bound to the member's cards, newest first: masked, except the member's own phone
    on record. Each card shown is written to the audit trail (`recipient` as the channel names
    the caller)."""
    own_phone = account.person.phone
    found = [
        BoundNumber(id=b.id, phone=b.phone if b.phone == own_phone else phone_masked(b.phone),
                    own=b.phone == own_phone, kpj=b.membership.kpj, channel=b.channel, bound_at=b.bound_at)
        for b in person_bindings(person_id=account.person_id)
    ]
    with transaction.atomic():
        for kpj in dict.fromkeys(n.kpj for n in found):
            disclosure_record(channel=channel, recipient=recipient, kpj=kpj, what="bindings", at=now)
    return found


def account_binding_end(*, account: MemberAccount, binding_id: int, channel: str, now: datetime) -> None:
    """The member ends one of the numbers bound to their cards (NotFound for any other); the
    contacts on record are told."""
    with transaction.atomic():
        ended = binding_end(person_id=account.person_id, binding_id=binding_id, now=now)
        security_notice(person=account.person, kind=Kind.BINDINGS_ENDED, channel=channel, now=now,
                        reason=phone_masked(ended.phone))


def _new_contact(account: MemberAccount, *, kind: ContactKind, value: str) -> str:
    """The new phone (+62…) or email (lower case), checked against the record."""
    person = account.person
    if kind == PHONE:
        phone = normalize_phone(value)
        if phone is None:
            raise ValidationError(validate_phone(value))
        if phone == person.phone:
            raise ValidationError([FieldError("phone", _("nomor ini sudah tercatat untuk Anda"))])
        if Person.objects.filter(phone=phone).exclude(id=person.id).exists():
            raise ValidationError([FieldError("phone", _("nomor ini tercatat untuk peserta lain dan tidak dapat "
                                                         "dipakai"))])
        return phone
    email = value.strip().lower()
    if errors := validate_email(email):
        raise ValidationError(errors)
    if email == person.email.strip().lower():
        raise ValidationError([FieldError("email", _("email ini sudah tercatat untuk Anda"))])
    if get_user_model().objects.filter(username=email).exclude(id=account.user_id).exists():
        raise _email_taken()
    return email


def _email_taken() -> ValidationError:
    return ValidationError([FieldError("email", _("email ini sudah dipakai akun lain untuk masuk"))])


def _login_email_set(account: MemberAccount, *, email: str) -> None:
    try:
        with transaction.atomic():
            account.user.username = account.user.email = email
            account.user.save(update_fields=["username", "email"])
    except IntegrityError:  # another account took it at the same moment
        raise _email_taken() from None


def _prefix(account: MemberAccount) -> str:
    return f"contact:{account.id}"


def _subject(account: MemberAccount, step: str, kind: ContactKind, new: str) -> str:
    # A keyed hash: the PIN table holds no phone number or email.
    return f"{_prefix(account)}:{step}:{throttle_key('contact', f'{kind}:{new}')[:24]}"


def _check_rate(account: MemberAccount, *, now: datetime) -> None:
    most = settings.SALDO_PINS["MAX_PER_HOUR"]
    recent = list(
        OneTimePin.objects.filter(purpose=Purpose.CONTACT, subject__startswith=f"{_prefix(account)}:old:",
                                  issued_at__gt=now - timedelta(hours=1))
        .order_by("-issued_at")
        .values_list("issued_at", flat=True)[:most]
    )
    if len(recent) >= most:
        raise PinRateLimited(retry_at=recent[-1] + timedelta(hours=1))


def _old_contact_text(*, code: str, kind: ContactKind, new: str) -> str:
    """The SMS to the phone on record: which change it confirms (the new contact masked), and the PIN."""
    values = {"code": code, "minutes": settings.SALDO_PINS["VALID_MINUTES"]}
    if kind == PHONE:
        return _("PIN Saldo %(code)s untuk mengganti nomor ponsel tercatat ke %(new)s. Berlaku %(minutes)d menit. "
                 "Bukan Anda? JANGAN berikan PIN ini.") % {**values, "new": phone_masked(new)}
    masked = email_masked(new)
    if len(masked) > EMAIL_IN_SMS_MAX:  # one SMS, whatever the domain
        masked = masked[: EMAIL_IN_SMS_MAX - 2] + ".."
    return _("PIN Saldo %(code)s untuk mengganti email tercatat ke %(new)s. Berlaku %(minutes)d menit. "
             "Bukan Anda? JANGAN berikan PIN ini.") % {**values, "new": masked}


def _mail(*, to: str, text: str) -> None:
    try:
        send_mail(_("PIN Saldo untuk email baru"), text, None, [to])
    except OSError:  # the member starts again later; a mail server that is down must not fail the request
        log.warning("contact-change PIN e-mail not sent: mail server unreachable")
