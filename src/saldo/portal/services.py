"""What the portal does on a member's behalf: the web's throttles around identity's account
services, and the reads that disclose balances, each recorded in the audit trail."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from saldo.api.services import sessions_revoke_all
from saldo.audit.services import disclosure_record
from saldo.cards.services import card_issue
from saldo.claims.selectors import (
    ClaimEstimate,
    ClaimOverview,
    ClaimView,
    claim_estimate_get,
    claim_get,
    claim_overview_get,
    claims_list,
)
from saldo.core.after_response import after_response
from saldo.core.errors import FieldError, NotFound, SaldoError, ValidationError
from saldo.identity.account_settings import BoundNumber, account_bindings, password_change
from saldo.identity.accounts import (
    LoginRefused,
    Registration,
    RegistrationStarted,
    account_login,
    account_login_with_pin,
    account_register,
    account_subject,
    password_set,
)
from saldo.identity.freezes import ReportCodeUnknown, report_not_me
from saldo.identity.models import MemberAccount, OneTimePin, SecurityEvent
from saldo.identity.notices import security_notice
from saldo.identity.pins import PinError, PinIssued, PinRateLimited, pin_create, pin_issue, pin_verify
from saldo.identity.selectors import account_membership, account_memberships
from saldo.identity.services import RegistrationRefused
from saldo.merging.selectors import merged_into_map
from saldo.portal.cards import Card, qr_svg
from saldo.portal.throttle import Kind, attempt_record, throttle_check
from saldo.statements.selectors import Statement, statement_get

CHANNEL = "web"


class ResetCodeInvalid(SaldoError):
    """An unknown email, or a code that is wrong, used, replaced, expired or tried too often: one
    answer for all, so the page tells no one which emails have an account."""

    code = "reset_code_invalid"

    def __init__(self) -> None:
        super().__init__(
            _("Email atau kode salah, atau kode sudah tidak berlaku. Periksa kembali, atau minta kode baru.")
        )


def registration_submit(*, registration: Registration, client: str, now: datetime) -> RegistrationStarted:
    """identity.account_register from the web: its failures count per number, KPJ, NIK and this
    client address, on every channel."""
    return account_register(registration=registration, channel=CHANNEL, now=now, client=client)


def not_me_report(*, code: str, client: str, now: datetime) -> None:
    """identity.report_not_me behind a throttle on unknown codes per client address."""
    values = [f"client:{client}"]
    throttle_check(kind=Kind.REPORT, values=values, now=now)
    try:
        report_not_me(code=code, channel=CHANNEL, now=now)
    except ReportCodeUnknown:
        attempt_record(kind=Kind.REPORT, values=values, now=now)
        raise


def activation_pin_resend(*, account_id: int, now: datetime) -> PinIssued | None:
    """A new activation PIN for an account registered but not yet activated (SMS and e-mail)."""
    account = MemberAccount.objects.select_related("user", "person").filter(id=account_id).first()
    if account is None:
        raise RegistrationRefused()
    if account.activated_at is not None:
        # A registration of an existing account answers as if a PIN went; asking again changes nothing.
        return None
    return pin_issue(
        purpose=OneTimePin.Purpose.ACTIVATION,
        subject=account_subject(account),
        phone=account.person.phone,
        email=account.person.email,
        now=now,
    )


def login_submit(*, email: str, password: str, client: str, now: datetime) -> MemberAccount:
    """identity.account_login (lockout per email) behind a throttle per client address."""
    values = [f"client:{client}"]
    throttle_check(kind=Kind.LOGIN, values=values, now=now)
    try:
        return account_login(email=email, password=password, now=now, client=client)
    except LoginRefused:
        attempt_record(kind=Kind.LOGIN, values=values, now=now)
        raise


def browser_login_notice(*, account: MemberAccount, known: bool, user_agent: str, now: datetime) -> None:
    """A log-in from a browser this account never logged in from (no device cookie of its own):
    the contacts on record are told. The very first log-in is the account's opening, told already."""
    if known or account.user.last_login is None:
        return
    security_notice(person=account.person, kind=SecurityEvent.Kind.NEW_DEVICE, channel=CHANNEL, now=now,
                    device=browser_label(user_agent))


def browser_label(user_agent: str) -> str:
    """"Chrome, Android": enough for the member to recognise a browser, nothing more of the header."""
    browsers = (("SamsungBrowser", "Samsung Internet"), ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"), ("Safari/", "Safari"))
    systems = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
               ("Mac OS X", "Mac"), ("Linux", "Linux"))
    browser = next((name for key, name in browsers if key in user_agent), "")
    system = next((name for key, name in systems if key in user_agent), "")
    return ", ".join(part for part in (browser, system) if part) or _("peramban")


def login_with_pin_submit(*, email: str, pin: str, password: str, client: str, now: datetime) -> MemberAccount:
    """identity.account_login_with_pin (the way in while an email is slowed down) behind the same
    per-client throttle as a password log-in."""
    values = [f"client:{client}"]
    throttle_check(kind=Kind.LOGIN, values=values, now=now)
    try:
        return account_login_with_pin(email=email, pin=pin, password=password, now=now, client=client)
    except LoginRefused:
        attempt_record(kind=Kind.LOGIN, values=values, now=now)
        raise


def balance_pin_send(*, account: MemberAccount, now: datetime) -> PinIssued:
    """The Cek Saldo PIN, by SMS to the account's phone."""
    return pin_issue(
        purpose=OneTimePin.Purpose.BALANCE, subject=account_subject(account), phone=account.person.phone, now=now
    )


RESET_CODE_DIGITS = 8


def password_reset_request(*, email: str, client: str, url: str, now: datetime) -> None:
    """Mail a one-time code to the activated account with this email, if there is one; the
    caller says the same thing either way. `url` is the page where the code is typed (it carries
    no secret: neither the address nor any log of it can reset a password).

    Every request counts, per client address and per email (TooManyAttempts), so the form
    cannot be used to flood someone's mailbox. Looking the email up and mailing happen after the
    response: before it, a known and an unknown email take the same path, so how long the page
    takes says nothing about which emails have an account."""
    values = [f"client:{client}", f"email:{email}"]
    throttle_check(kind=Kind.RESET, values=values, now=now)
    attempt_record(kind=Kind.RESET, values=values, now=now)
    after_response(partial(_reset_mail, email=email, url=url, language=translation.get_language(), now=now))


def _reset_mail(*, email: str, url: str, language: str | None, now: datetime) -> None:
    account = _reset_account(email)
    if account is None:
        return
    minutes = settings.SALDO_PORTAL["RESET_CODE_MINUTES"]
    try:
        # A new code spends the one mailed before: only the newest works.
        _issued, code = pin_create(
            purpose=OneTimePin.Purpose.RESET,
            subject=account_subject(account),
            now=now,
            digits=RESET_CODE_DIGITS,
            valid_minutes=minutes,
        )
    except PinRateLimited:  # more codes this hour than the throttle lets through: nothing to mail
        return
    with translation.override(language):
        body = render_to_string(
            "portal/mail/password_reset.txt", {"code": f"{code[:4]} {code[4:]}", "url": url, "minutes": minutes}
        )
        # A mail server that is down must not tell the caller anything different.
        send_mail(_("Kode atur ulang kata sandi Saldo"), body, None, [account.user.email], fail_silently=True)


def password_reset_complete(*, email: str, code: str, password: str, now: datetime) -> MemberAccount:
    """A new password for the account with this email, with the code mailed to it.

    The password is checked first (ValidationError on `password`), so a weak one spends no try of
    the code; then the code (identity.pins: once, MAX_TRIES wrong entries, RESET_CODE_MINUTES).
    ResetCodeInvalid for an unknown email and for any code that does not work. Call it outside a
    transaction: a wrong try must stay counted."""
    key = email.strip().lower()
    account = _reset_account(key)
    _password_check(password, account=account, email=key)
    if account is None:
        raise ResetCodeInvalid()
    try:
        pin_verify(purpose=OneTimePin.Purpose.RESET, subject=account_subject(account), code=code, now=now)
    except PinError:
        raise ResetCodeInvalid() from None
    password_set(account=account, password=password, channel=CHANNEL, now=now)
    return account


def _reset_account(email: str) -> MemberAccount | None:
    return (
        MemberAccount.objects.select_related("user")
        .filter(user__username=email.strip().lower(), user__is_active=True, activated_at__isnull=False)
        .first()
    )


def _password_check(password: str, *, account: MemberAccount | None, email: str) -> None:
    """Django's password validators, against the account's user; for an email without an account,
    against a stand-in with what a member's user has (the email as username and email), so the
    messages are the same whether or not the email has an account."""
    user = account.user if account is not None else get_user_model()(username=email, email=email)
    try:
        validate_password(password, user=user)
    except DjangoValidationError as error:
        raise ValidationError([FieldError("password", message) for message in error.messages]) from None


@dataclass(frozen=True)
class Overview:
    statements: list[Statement]
    jht_total: int
    jp_total: int
    merged_into: dict[str, str]  # old KPJ -> the KPJ its balance was moved to


def statements_disclose(*, account: MemberAccount, as_of: date, now: datetime) -> Overview:
    """Every KPJ of the account's person with balances, status, yearly statement and monthly
    iuran; each KPJ shown is recorded in the audit trail."""
    statements = [statement_get(kpj=m.kpj, as_of=as_of) for m in account_memberships(person_id=account.person_id)]
    with transaction.atomic():
        for statement in statements:
            _disclosed(account, kpj=statement.kpj, what="statement", at=now)
    return Overview(
        statements=statements,
        jht_total=sum(s.programmes["JHT"].balance for s in statements),
        jp_total=sum(s.programmes["JP"].balance for s in statements),
        merged_into=merged_into_map(kpjs=[s.kpj for s in statements]),
    )


def statement_disclose(*, account: MemberAccount, kpj: str, as_of: date, now: datetime) -> Statement:
    """One KPJ's statement (the PDF download); NotFound unless the KPJ is the account's own."""
    if account_membership(person_id=account.person_id, kpj=kpj) is None:
        raise NotFound(_("KPJ tidak ditemukan"), code="kpj_not_found")
    statement = statement_get(kpj=kpj, as_of=as_of)
    _disclosed(account, kpj=kpj, what="statement-pdf", at=now)
    return statement


def cards_disclose(*, account: MemberAccount, now: datetime) -> list[Card]:
    """The signed digital card of every KPJ of the account's person, each in the audit trail."""
    cards = []
    with transaction.atomic():
        for membership in account_memberships(person_id=account.person_id):
            signed = card_issue(membership=membership, now=now)
            title = _("Kode QR kartu %(kpj)s") % {"kpj": membership.kpj}
            cards.append(
                Card(
                    kpj=signed.kpj,
                    name=signed.name,
                    status=signed.status,
                    employer_name=signed.employer_name,
                    start_date=membership.start_date,
                    end_date=membership.end_date,
                    expires_at=signed.expires_at,
                    payload=signed.payload,
                    qr_svg=qr_svg(signed.payload, title=title),
                )
            )
            _disclosed(account, kpj=membership.kpj, what="card", at=now)
    return cards


@dataclass(frozen=True)
class KpjClaims:
    """One KPJ on the claims page: eligibility per reason, the claim in progress, every claim."""

    overview: ClaimOverview
    claims: list[ClaimView]


def claim_overviews_disclose(*, account: MemberAccount, as_of: date, now: datetime) -> list[KpjClaims]:
    """Claim eligibility and claims of every KPJ of the account's person; the page shows the JHT
    balance, so each KPJ is recorded in the audit trail."""
    found = []
    with transaction.atomic():
        for membership in account_memberships(person_id=account.person_id):
            overview = claim_overview_get(kpj=membership.kpj, person_id=account.person_id, as_of=as_of)
            claims = claims_list(kpj=membership.kpj, person_id=account.person_id)
            found.append(KpjClaims(overview=overview, claims=claims))
            _disclosed(account, kpj=membership.kpj, what="claim-overview", at=now)
    return found


def claim_estimate_disclose(
    *, account: MemberAccount, kpj: str, reason: str, as_of: date, now: datetime, event_date: date | None = None
) -> ClaimEstimate:
    """The claim estimate of one of the account's KPJs (NotFound for anyone else's), audited."""
    with transaction.atomic():
        estimate = claim_estimate_get(
            kpj=kpj, reason=reason, as_of=as_of, person_id=account.person_id, event_date=event_date
        )
        _disclosed(account, kpj=estimate.kpj, what="claim-estimate", at=now)
    return estimate


def claim_disclose(*, account: MemberAccount, number: str, now: datetime) -> ClaimView:
    """One of the account's claims with its trail (NotFound for anyone else's), audited."""
    with transaction.atomic():
        claim = claim_get(number=number, person_id=account.person_id)
        _disclosed(account, kpj=claim.kpj, what="claim", at=now)
    return claim


def _disclosed(account: MemberAccount, *, kpj: str, what: str, at: datetime) -> None:
    disclosure_record(channel=CHANNEL, recipient=str(account.user_id), kpj=kpj, what=what, at=at)


def password_change_submit(*, account: MemberAccount, current_password: str, new_password: str, client: str,
                           now: datetime) -> None:
    """identity.password_change from the web, and every device of the app logged out. The browser's
    other sessions end by themselves (Django's session hash follows the password); the view keeps
    the one the change was made in."""
    password_change(account=account, current_password=current_password, new_password=new_password,
                    channel=CHANNEL, now=now, client=client)
    sessions_revoke_all(account_id=account.id, now=now)


def bindings_disclose(*, account: MemberAccount, now: datetime) -> list[BoundNumber]:
    """The numbers bound to the account's cards (identity.account_bindings), in the audit trail."""
    return account_bindings(account=account, channel=CHANNEL, recipient=str(account.user_id), now=now)
