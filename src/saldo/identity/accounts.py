"""Member accounts for the web portal and the mobile app: register against the registry,
activate with a PIN sent by SMS, log in with email and password (with a lockout).

What a caller learns is kept small on purpose: a registration whose data do not match gets
one generic refusal, and a login gets one refusal whether the email exists or not."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saldo.core.errors import FieldError, SaldoError, ValidationError
from saldo.identity.models import LoginFailure, MemberAccount, OneTimePin, RegistrationAttempt
from saldo.identity.pins import pin_issue, pin_verify
from saldo.identity.selectors import registration_locked_until
from saldo.identity.services import RegistrationLocked, RegistrationRefused, names_match
from saldo.registry.models import Membership
from saldo.registry.validators import normalize_phone, validate_phone

User = get_user_model()


class AccountExists(SaldoError):
    """The person already has an activated account (told only to a caller who proved who they are)."""

    code = "account_exists"

    def __init__(self) -> None:
        super().__init__(_("Anda sudah punya akun. Silakan masuk atau atur ulang kata sandi."))


class LoginRefused(SaldoError):
    code = "login_refused"

    def __init__(self) -> None:
        super().__init__(_("Email atau kata sandi salah."))


class LoginLocked(SaldoError):
    code = "login_locked"

    def __init__(self, *, until: datetime):
        super().__init__(_("Terlalu banyak percobaan masuk yang gagal. Silakan coba lagi nanti."))
        self.until = until


class EmailTaken(ValidationError):
    """The email is another account's. Counted as a failed registration of the phone (and of the
    web client), so a registrant cannot use the form to test many emails for an account."""

    code = "email_taken"

    def __init__(self) -> None:
        super().__init__([FieldError("email", _("email ini sudah dipakai akun lain"))])


@dataclass(frozen=True)
class Registration:
    """Who registers, as typed into the web form or the app. `mother_maiden_name` is asked by the web."""

    kpj: str
    nik: str
    birth_date: date
    name: str
    phone: str
    email: str
    mother_maiden_name: str | None = None


def account_subject(account: MemberAccount) -> str:
    """The PIN subject of an account (see identity.pins)."""
    return f"account:{account.id}"


def account_register(*, registration: Registration, channel: str, now: datetime) -> MemberAccount:
    """Check `registration` against the registry and send the activation PIN by SMS and e-mail.

    The account stays inactive until `account_activate`. Registering again before activating
    updates the email and phone and sends a new PIN. Raises ValidationError (format),
    RegistrationLocked (too many failures with this phone, on any channel: the limit of SMS
    DAFTAR), RegistrationRefused (data do not match; nothing says which field), EmailTaken,
    AccountExists, or PinRateLimited."""
    phone, email = _contact(registration)
    until = registration_locked_until(phone=phone, now=now)
    if until is not None:
        raise RegistrationLocked(until=until)
    membership = _matching_membership(registration)
    if membership is None:
        RegistrationAttempt.objects.create(phone=phone, channel=channel, at=now, succeeded=False)
        raise RegistrationRefused()
    try:
        with transaction.atomic():
            account = _account_upsert(person=membership.person, phone=phone, email=email, now=now)
            RegistrationAttempt.objects.create(phone=phone, channel=channel, at=now, succeeded=True)
            subject = account_subject(account)
            pin_issue(purpose=OneTimePin.Purpose.ACTIVATION, subject=subject, phone=phone, email=email, now=now)
    except EmailTaken:
        RegistrationAttempt.objects.create(phone=phone, channel=channel, at=now, succeeded=False)
        raise
    return account


def account_activate(*, account_id: int, pin: str, password: str, now: datetime) -> MemberAccount:
    """Check the activation PIN, then set the password and open the account.

    The password is checked first (ValidationError on field `password`), so a weak password
    does not spend a PIN try. Raises the PinError family for a wrong or dead PIN."""
    account = MemberAccount.objects.select_related("user").filter(id=account_id, activated_at__isnull=True).first()
    if account is None:
        raise RegistrationRefused()
    _check_password(password, user=account.user)
    pin_verify(purpose=OneTimePin.Purpose.ACTIVATION, subject=account_subject(account), code=pin, now=now)
    with transaction.atomic():
        account.user.set_password(password)
        account.user.is_active = True
        account.user.save(update_fields=["password", "is_active"])
        account.activated_at = now
        account.save(update_fields=["activated_at"])
    return account


def account_login(*, email: str, password: str, now: datetime) -> MemberAccount:
    """The activated account with this email and password. Raises LoginLocked after
    LOGIN_MAX_FAILURES failures for the email within LOGIN_WINDOW_MINUTES, else LoginRefused."""
    key = email.strip().lower()
    until = login_locked_until(email=key, now=now)
    if until is not None:
        raise LoginLocked(until=until)
    user = authenticate(username=key, password=password)
    account = getattr(user, "member_account", None) if user is not None else None
    if account is None or account.activated_at is None:
        LoginFailure.objects.create(email=key[:254], at=now)
        raise LoginRefused()
    return account


def login_locked_until(*, email: str, now: datetime) -> datetime | None:
    """When logins for `email` open again, or None if they are open."""
    config = settings.SALDO_ACCOUNTS
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    most = config["LOGIN_MAX_FAILURES"]
    recent = list(
        LoginFailure.objects.filter(email=email.strip().lower(), at__gt=now - window, at__lte=now)
        .order_by("-at")
        .values_list("at", flat=True)[:most]
    )
    return recent[-1] + window if len(recent) >= most else None


def password_set(*, account: MemberAccount, password: str) -> None:
    """A new password (after a reset link or from the settings page), checked by Django's validators."""
    _check_password(password, user=account.user)
    account.user.set_password(password)
    account.user.save(update_fields=["password"])


def _contact(registration: Registration) -> tuple[str, str]:
    errors = list(validate_phone(registration.phone))
    email = registration.email.strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError:
        errors.append(FieldError("email", _("alamat email tidak valid")))
    if errors:
        raise ValidationError(errors)
    return normalize_phone(registration.phone), email


def _matching_membership(registration: Registration) -> Membership | None:
    membership = (
        Membership.objects.select_related("person")
        .filter(kpj=registration.kpj.strip(), person__nik=registration.nik.strip())
        .first()
    )
    if membership is None or membership.person.birth_date != registration.birth_date:
        return None
    if not names_match(registration.name, membership.person.name):
        return None
    mother = registration.mother_maiden_name
    if mother is not None and not names_match(mother, membership.person.mother_maiden_name):
        return None
    return membership


def _account_upsert(*, person, phone: str, email: str, now: datetime) -> MemberAccount:
    account = MemberAccount.objects.select_related("user").filter(person=person).first()
    if account is not None and account.activated_at is not None:
        raise AccountExists()
    taken = User.objects.filter(username=email)
    if account is not None:
        taken = taken.exclude(id=account.user_id)
    if taken.exists():
        raise EmailTaken()
    try:
        with transaction.atomic():
            if account is None:
                user = User.objects.create_user(username=email, email=email, password=None, is_active=False)
                return MemberAccount.objects.create(user=user, person=person, phone=phone, created_at=now)
            account.user.username = account.user.email = email
            account.user.save(update_fields=["username", "email"])
            account.phone = phone
            account.save(update_fields=["phone"])
            return account
    except IntegrityError:  # the same email or person registered twice at once
        raise EmailTaken() from None


def _check_password(password: str, *, user) -> None:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as error:
        raise ValidationError([FieldError("password", message) for message in error.messages]) from None
