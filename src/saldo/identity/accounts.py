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
from saldo.core.masking import phone_masked
from saldo.core.periods import wib
from saldo.core.throttle import throttle_key
from saldo.identity.models import LoginFailure, MemberAccount, OneTimePin, SecurityEvent
from saldo.identity.notices import security_notice
from saldo.identity.pins import PinExpired, PinRateLimited, pin_issue, pin_verify
from saldo.identity.selectors import person_frozen
from saldo.identity.services import (
    AccessFrozen,
    ContactNotOnRecord,
    RegistrationRefused,
    attempt_record,
    registration_check,
    registration_keys,
)
from saldo.registry.validators import normalize_phone, validate_phone

User = get_user_model()
Kind = SecurityEvent.Kind
# A repeated registration tells the owner at most this often (each one would otherwise be an SMS).
REPEAT_NOTICE_EVERY = timedelta(hours=1)
# The first wait of a slowed-down email, and how many failures are read to know the next one.
SLOWDOWN_FIRST = timedelta(seconds=30)
SLOWDOWN_COUNT_MAX = 64


class LoginRefused(SaldoError):
    code = "login_refused"

    def __init__(self) -> None:
        super().__init__(_("Email atau kata sandi salah."))


class LoginLocked(SaldoError):
    """Too many failed log-ins for this email from this client address."""

    code = "login_locked"

    def __init__(self, *, until: datetime):
        super().__init__(
            _("Terlalu banyak percobaan masuk yang gagal dari perangkat ini. Silakan coba lagi setelah %(until)s WIB.")
            % {"until": wib(until)}
        )
        self.until = until


class LoginSlowed(SaldoError):
    """Failed log-ins for this email from anywhere: a wait before the next try, or a PIN to the phone on record."""

    code = "login_slowed"

    def __init__(self, *, until: datetime):
        super().__init__(
            _("Terlalu banyak percobaan masuk yang gagal untuk email ini. Coba lagi setelah %(until)s WIB, atau masuk "
              "sekarang dengan PIN yang dikirim ke ponsel tercatat.") % {"until": wib(until)}
        )
        self.until = until


class EmailTaken(ValidationError):
    """The email on record is already another account's login (two people sharing one address).
    Only a caller whose identity data and contacts matched the record gets this far."""

    code = "email_taken"

    def __init__(self) -> None:
        super().__init__([FieldError("email", _(
            "email ini sudah dipakai akun lain; ajukan perubahan data kontak dengan email Anda sendiri"))])


@dataclass(frozen=True)
class Registration:
    """Who registers, as typed into the web form, the app or the chat."""

    kpj: str
    nik: str
    birth_date: date
    name: str
    phone: str
    email: str
    mother_maiden_name: str


@dataclass(frozen=True)
class RegistrationStarted:
    """What every registration that matched the record answers, whether a PIN was sent or not (the
    account exists already, or the first registration is still waiting): the caller cannot tell."""

    account_id: int
    sent_to: str  # the phone on record, masked


def account_subject(account: MemberAccount) -> str:
    """The PIN subject of an account (see identity.pins)."""
    return f"account:{account.id}"


def account_register(
    *, registration: Registration, channel: str, now: datetime, client: str = ""
) -> RegistrationStarted:
    """Check `registration` against the registry and send the activation PIN to the contacts on record.

    The phone and email typed must be the ones on record; anything else opens nothing, counts as a
    failed registration and tells the owner (ContactNotOnRecord). A registration of someone who
    already has an account, or whose first registration is still waiting for its PIN, changes
    nothing and sends no PIN: the owner is told, and the caller gets the same answer as a new
    registration. Failures count per number, KPJ, NIK and client address, on every channel.

    Raises ValidationError (format), RegistrationLocked, RegistrationRefused (data do not match;
    nothing says which field), AccessFrozen, ContactNotOnRecord, EmailTaken or PinRateLimited."""
    phone, email = _contact(registration)
    keys = registration_keys(phone=phone, kpj=registration.kpj, nik=registration.nik, client=client)
    membership = registration_check(
        keys=keys, channel=channel, now=now, nik=registration.nik, birth_date=registration.birth_date,
        kpj=registration.kpj, name=registration.name, mother_maiden_name=registration.mother_maiden_name,
    )
    person = membership.person
    if not person.phone or not person.email or (phone, email) != (person.phone, person.email.strip().lower()):
        attempt_record(keys=keys, channel=channel, now=now, succeeded=False)
        security_notice(person=person, kind=Kind.REGISTRATION_ATTEMPT, channel=channel, now=now)
        raise ContactNotOnRecord()
    account = MemberAccount.objects.select_related("user").filter(person=person).first()
    if account is not None and (account.activated_at is not None or _activation_waiting(account, now=now)):
        attempt_record(keys=keys, channel=channel, now=now, succeeded=True)
        if not SecurityEvent.objects.filter(person=person, kind=Kind.REGISTRATION_REPEATED,
                                            at__gt=now - REPEAT_NOTICE_EVERY).exists():
            security_notice(person=person, kind=Kind.REGISTRATION_REPEATED, channel=channel, now=now)
        return RegistrationStarted(account.id, phone_masked(person.phone))
    try:
        with transaction.atomic():
            account = _account_upsert(account, person=person, email=email, now=now)
            attempt_record(keys=keys, channel=channel, now=now, succeeded=True)
            pin_issue(purpose=OneTimePin.Purpose.ACTIVATION, subject=account_subject(account), phone=person.phone,
                      email=email, now=now)
    except EmailTaken:
        attempt_record(keys=keys, channel=channel, now=now, succeeded=False)
        raise
    return RegistrationStarted(account.id, phone_masked(person.phone))


def account_activate(*, account_id: int, pin: str, password: str, now: datetime, channel: str = "web") -> MemberAccount:
    """Check the activation PIN, then set the password and open the account; the owner is told.

    The password is checked first (ValidationError on field `password`), so a weak password
    does not spend a PIN try. Raises the PinError family for a wrong or dead PIN; an account
    already open has no activation PIN (PinExpired), exactly like one whose PIN ran out."""
    account = MemberAccount.objects.select_related("user", "person").filter(id=account_id).first()
    if account is None:
        raise RegistrationRefused()
    _check_password(password, user=account.user)
    if account.activated_at is not None:
        raise PinExpired()
    pin_verify(purpose=OneTimePin.Purpose.ACTIVATION, subject=account_subject(account), code=pin, now=now)
    if person_frozen(person_id=account.person_id):
        raise AccessFrozen()
    with transaction.atomic():
        account.user.set_password(password)
        account.user.is_active = True
        account.user.save(update_fields=["password", "is_active"])
        account.activated_at = now
        account.save(update_fields=["activated_at"])
        security_notice(person=account.person, kind=Kind.ACCOUNT_OPENED, channel=channel, now=now)
    return account


def _activation_waiting(account: MemberAccount, *, now: datetime) -> bool:
    """Whether the account's activation PIN is still live: a second registration must not replace it."""
    return OneTimePin.objects.filter(
        purpose=OneTimePin.Purpose.ACTIVATION, subject=account_subject(account), used_at__isnull=True,
        expires_at__gt=now, tries__lt=settings.SALDO_PINS["MAX_TRIES"],
    ).exists()


def account_login(*, email: str, password: str, now: datetime, client: str = "") -> MemberAccount:
    """The activated account with this email and password.

    A stranger who knows an email cannot lock its owner out: failures lock only the client
    address they came from (LOGIN_MAX_FAILURES within LOGIN_WINDOW_MINUTES: LoginLocked, until a
    time the message names in WIB); failures from everywhere only slow the email down
    (LoginSlowed: one more try after a wait that doubles with each failure), and a log-in with a
    PIN sent to the phone on record (account_login_with_pin) goes through a slowdown. Else
    LoginRefused, the same whether the email exists or not."""
    keys = _login_keys(email, client)
    _check_login_open(keys, now=now)
    account = _authenticated(email, password)
    if account is None:
        LoginFailure.objects.create(email=keys[0], client=keys[1], at=now)
        raise LoginRefused()
    return _open_account(account)


def login_pin_send(*, email: str, now: datetime) -> None:
    """Text a log-in PIN to the phone on record of the activated account with this email. The
    caller says the same whether or not there is one (nothing is sent then), and a PIN limit
    reached says nothing either."""
    account = _active_account(email)
    if account is None or not account.person.phone:
        return
    try:
        pin_issue(purpose=OneTimePin.Purpose.LOGIN, subject=account_subject(account), phone=account.person.phone,
                  now=now)
    except PinRateLimited:
        return


def account_login_with_pin(*, email: str, pin: str, password: str, now: datetime, client: str = "") -> MemberAccount:
    """Log in with the PIN login_pin_send texted to the phone on record, and the password: allowed
    while the email is slowed down (never while this client address is locked). The PIN is
    checked first, so guessing passwords this way needs the member's phone. Raises LoginLocked,
    the PinError family (PinExpired also when the email has no account) or LoginRefused."""
    keys = _login_keys(email, client)
    until = _client_locked_until(keys, now=now)
    if until is not None:
        raise LoginLocked(until=until)
    account = _active_account(email)
    if account is None:
        raise PinExpired()
    pin_verify(purpose=OneTimePin.Purpose.LOGIN, subject=account_subject(account), code=pin, now=now)
    if _authenticated(email, password) != account:
        LoginFailure.objects.create(email=keys[0], client=keys[1], at=now)
        raise LoginRefused()
    return _open_account(account)


def login_locked_until(*, email: str, now: datetime, client: str = "") -> datetime | None:
    """When logins for `email` from `client` open again (locked or slowed down), or None."""
    keys = _login_keys(email, client)
    return _client_locked_until(keys, now=now) or _slowed_until(keys[0], now=now)


def _login_keys(email: str, client: str) -> tuple[str, str]:
    normalized = email.strip().lower()
    return throttle_key("login:email", normalized), throttle_key("login:client", f"{normalized}|{client}")


def _check_login_open(keys: tuple[str, str], *, now: datetime) -> None:
    until = _client_locked_until(keys, now=now)
    if until is not None:
        raise LoginLocked(until=until)
    until = _slowed_until(keys[0], now=now)
    if until is not None:
        raise LoginSlowed(until=until)


def _client_locked_until(keys: tuple[str, str], *, now: datetime) -> datetime | None:
    config = settings.SALDO_ACCOUNTS
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    most = config["LOGIN_MAX_FAILURES"]
    recent = list(
        LoginFailure.objects.filter(email=keys[0], client=keys[1], at__gt=now - window, at__lte=now)
        .order_by("-at")
        .values_list("at", flat=True)[:most]
    )
    return recent[-1] + window if len(recent) >= most else None


def _slowed_until(email_key: str, *, now: datetime) -> datetime | None:
    """Past LOGIN_MAX_FAILURES failures for the email within the window (from anywhere), the next
    try waits 30 s after the last failure, doubling with each further one, at most the window."""
    config = settings.SALDO_ACCOUNTS
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    recent = list(
        LoginFailure.objects.filter(email=email_key, at__gt=now - window, at__lte=now)
        .order_by("-at")
        .values_list("at", flat=True)[: SLOWDOWN_COUNT_MAX]
    )
    extra = len(recent) - config["LOGIN_MAX_FAILURES"]
    if extra < 0:
        return None
    until = recent[0] + min(SLOWDOWN_FIRST * 2**extra, window)
    return until if until > now else None


def _authenticated(email: str, password: str) -> MemberAccount | None:
    user = authenticate(username=email.strip().lower(), password=password)
    account = getattr(user, "member_account", None) if user is not None else None
    if account is None or account.activated_at is None or account.person.deceased_on is not None:
        return None
    return account


def _active_account(email: str) -> MemberAccount | None:
    return (
        MemberAccount.objects.select_related("person", "user")
        .filter(user__username=email.strip().lower(), user__is_active=True, activated_at__isnull=False,
                person__deceased_on__isnull=True)
        .first()
    )


def _open_account(account: MemberAccount) -> MemberAccount:
    if person_frozen(person_id=account.person_id):
        raise AccessFrozen()
    return account


def password_set(*, account: MemberAccount, password: str, channel: str, now: datetime) -> None:
    """A new password (after a reset or from the account settings), checked by Django's validators;
    the owner is told on every contact on record."""
    _check_password(password, user=account.user)
    with transaction.atomic():
        account.user.set_password(password)
        account.user.save(update_fields=["password"])
        security_notice(person=account.person, kind=Kind.PASSWORD_CHANGED, channel=channel, now=now)


def login_failure_record(*, email: str, now: datetime, client: str = "") -> None:
    """A wrong password typed by a signed-in member to confirm a change (identity.account_settings):
    counted as a failed log-in for this email from this client address, towards the same lock."""
    keys = _login_keys(email, client)
    LoginFailure.objects.create(email=keys[0], client=keys[1], at=now)


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


def _account_upsert(account: MemberAccount | None, *, person, email: str, now: datetime) -> MemberAccount:
    """The person's inactive account with the email on record as its login, created if need be."""
    taken = User.objects.filter(username=email)
    if account is not None:
        taken = taken.exclude(id=account.user_id)
    if taken.exists():
        raise EmailTaken()
    try:
        with transaction.atomic():
            if account is None:
                user = User.objects.create_user(username=email, email=email, password=None, is_active=False)
                return MemberAccount.objects.create(user=user, person=person, created_at=now)
            account.user.username = account.user.email = email
            account.user.save(update_fields=["username", "email"])
            return account
    except IntegrityError:  # the same email or person registered twice at once
        raise EmailTaken() from None


def _check_password(password: str, *, user) -> None:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as error:
        raise ValidationError([FieldError("password", message) for message in error.messages]) from None
