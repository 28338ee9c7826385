"""Writes about claims: apply, the staff's steps, the member's cancel, and the payment.

Every step locks the claim, checks its status, changes it, and appends a ClaimEvent naming the
actor, in one transaction; a refused step raises (errors.py) and changes nothing. `actor` is
`staff_actor(user)` for fund staff and `member_actor(channel)` for the member.

Staff steps take the actor string too (it is what the trail keeps) and find the staff account it
names (saldo.staff). Each step needs its role: verification (start, record) a verifier, approval an
approver, payment a treasurer, rejection a verifier or an approver; a superuser outside the group
is refused like anyone (StaffRoleRequired, staff_role_required). And three people, by the claim's
trail: whoever started or recorded the verification may not approve or pay it, and its approver
may not pay it (FourEyesViolation, four_eyes).
"""

import hashlib
import re
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saldo.banking.banks import BANK_CODE, account_masked
from saldo.banking.errors import AccountNotFound, HolderNameMismatch
from saldo.banking.models import BankInquiry
from saldo.banking.port import AccountHolder
from saldo.banking.services import account_holder_verify
from saldo.claims.documents import (
    DocumentUpload,
    document_remove,
    document_store,
    file_type_detect,
    missing_documents,
    upload_problems,
)
from saldo.claims.errors import (
    BankAccountRejected,
    ClaimAlreadyOpen,
    ClaimStateError,
    DocumentsRejected,
    NotEligible,
    StaffOnly,
)
from saldo.claims.models import (
    CANCELLABLE_STATUSES,
    OPEN_STATUSES,
    STAFF_VERIFICATIONS,
    Claim,
    ClaimDocument,
    ClaimEvent,
    ClaimStatus,
    Verification,
)
from saldo.claims.payout import Payout, payout_compute
from saldo.claims.rules import Reason, ReasonRule, jp_lump_sum_due, rule_get
from saldo.claims.selectors import jp_iuran_months, member_membership_get, membership_estimate_get, tax_window_get
from saldo.core.errors import FieldError, NotFound, ValidationError
from saldo.identity.models import SecurityEvent
from saldo.identity.notices import security_notice
from saldo.identity.selectors import person_frozen
from saldo.identity.services import AccessFrozen, death_record
from saldo.ledger.models import Account, EntryKind, Programme
from saldo.ledger.services import Line, posting_create
from saldo.registry.models import Person
from saldo.staff.roles import Role
from saldo.staff.services import four_eyes_check, role_required, staff_user_get
from saldo.staff.services import staff_actor as _staff_actor

Action = ClaimEvent.Action
Kind = SecurityEvent.Kind
_BANK_ACCOUNT = re.compile(r"^[0-9][0-9 .-]{4,40}[0-9]\Z")
# A claim's bank account may be changed by staff until the claim is approved.
BANK_CHANGEABLE_STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.VERIFYING)


def staff_actor(user) -> str:
    """How a staff member is named in the claim trail: `staff:<username>` (saldo.staff)."""
    return _staff_actor(user)


def member_actor(channel: str) -> str:
    """How the member is named in the claim trail, with the channel they used (web, api, sms, whatsapp)."""
    return f"member:{channel}"


# --- apply -------------------------------------------------------------------------------------


def claim_submit(
    *,
    kpj: str,
    person_id: int | None,
    reason: str,
    documents: list[DocumentUpload],
    bank_code: str,
    bank_account: str,
    as_of: date,
    now: datetime,
    actor: str,
    event_date: date | None = None,
    heir_name: str = "",
    verification: str | None = None,
) -> Claim:
    """Apply for a claim; returns it with its number.

    `person_id`: the authenticated member (None: staff entering a claim, e.g. heirs at a branch).
    `verification`: "video_call" or "branch_visit", the member's choice when staff must verify
    (a balance above SALDO_CLAIMS["SELF_SERVICE_LIMIT"], death, disability); ignored otherwise.
    `bank_code` (3-digit BI code) and `bank_account`: the claim is paid only to the member's own
    account (the heir's, for a death claim): once everything else is in order the bank is asked
    who holds it (saldo.banking, recorded whatever it answers) and the holder's name must match.

    Raises NotFound (the KPJ is not the person's), UnknownReason, ValidationError (bank code and
    account, event date, heir name, verification), ClaimAlreadyOpen, NotEligible,
    DocumentsRejected, BankAccountRejected (no such account, or not the payee's), and
    saldo.banking.errors.InquiryFailed (the bank could not be asked: try again later). Call it
    outside a transaction of your own, or a refused inquiry's audit row goes with it."""
    membership = member_membership_get(kpj=kpj, person_id=person_id)
    rule = rule_get(reason)
    _check_person(membership.person, rule=rule)
    bank_account = " ".join(bank_account.split())
    bank_code = bank_code.strip()
    _check_fields(
        rule=rule, bank_code=bank_code, bank_account=bank_account, event_date=event_date, heir_name=heir_name,
        verification=verification,
    )
    open_claim = Claim.objects.filter(membership=membership, status__in=OPEN_STATUSES).first()
    if open_claim is not None:
        raise ClaimAlreadyOpen(open_claim.number)
    estimate = membership_estimate_get(membership=membership, rule=rule, as_of=as_of, event_date=event_date)
    if not estimate.eligibility.eligible:
        raise NotEligible(estimate.eligibility)
    problems = [p for i, upload in enumerate(documents) for p in upload_problems(upload, index=i)]
    problems += missing_documents(rule, {u.kind for u in documents})
    if problems:
        raise DocumentsRejected(problems)
    holder = _holder_verified(
        kpj=membership.kpj, payee=heir_name.strip() if rule.by_heirs else membership.person.name,
        by_heirs=rule.by_heirs, bank_code=bank_code, bank_account=bank_account, actor=actor,
        purpose=BankInquiry.Purpose.CLAIM_SUBMIT, now=now,
    )
    route = estimate.verification
    if route != Verification.SELF_SERVICE:
        route = verification or Verification.VIDEO_CALL
    stored: list[str] = []
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                membership=membership,
                person_id=membership.person_id,
                reason=rule.reason.value,
                verification=route,
                event_date=event_date if rule.needs_event_date else None,
                heir_name=heir_name.strip() if rule.by_heirs else "",
                bank_code=bank_code,
                bank_account=bank_account,
                bank_account_name=holder.name[:100],
                bank_reference=holder.reference[:64],
                submitted_at=now,
                estimated_gross=estimate.payout.gross,
                estimated_tax=estimate.payout.tax,
            )
            claim.number = f"KL-{as_of:%Y%m%d}-{claim.id:06d}"
            claim.save(update_fields=["number"])
            for upload in documents:
                stored.append(_document_save(claim, upload, now=now))
            _event(claim, actor=actor, action=Action.SUBMITTED, from_status="", now=now)
            security_notice(person=membership.person, kind=Kind.CLAIM_FILED, channel=_channel(actor), now=now,
                            claim=claim.number, account=account_masked(bank_account))
    except IntegrityError:
        _remove(stored)
        # Another application for this account (or a second partial for this person) won the race.
        raced = Claim.objects.filter(membership=membership, status__in=OPEN_STATUSES).first()
        if raced is not None:
            raise ClaimAlreadyOpen(raced.number) from None
        raise NotEligible(
            membership_estimate_get(membership=membership, rule=rule, as_of=as_of, event_date=event_date).eligibility
        ) from None
    except BaseException:
        _remove(stored)
        raise
    return claim


def _check_fields(
    *, rule: ReasonRule, bank_code: str, bank_account: str, event_date: date | None, heir_name: str,
    verification: str | None,
) -> None:
    errors = _bank_field_errors(bank_code=bank_code, bank_account=bank_account)
    if rule.needs_event_date and event_date is None:
        # Input the application lacks, not a condition the member has yet to meet: a field error.
        errors.append(FieldError("event_date", _("tanggal kejadian (%(reason)s) wajib diisi") % {"reason": rule.label}))
    if rule.by_heirs and not heir_name.strip():
        errors.append(FieldError("heir_name", _("nama ahli waris wajib diisi untuk klaim karena meninggal dunia")))
    if verification is not None and verification not in STAFF_VERIFICATIONS:
        errors.append(FieldError("verification", _("pilih verifikasi: video_call atau branch_visit")))
    if errors:
        raise ValidationError(errors)


def _bank_field_errors(*, bank_code: str, bank_account: str) -> list[FieldError]:
    errors = []
    if not BANK_CODE.match(bank_code):
        errors.append(FieldError("bank_code", _("kode bank harus 3 angka, misalnya 014 untuk BCA")))
    if not _BANK_ACCOUNT.match(bank_account):
        errors.append(FieldError("bank_account", _("nomor rekening bank harus 6 sampai 42 angka")))
    return errors


def _holder_verified(
    *, kpj: str, payee: str, by_heirs: bool, bank_code: str, bank_account: str, actor: str, purpose: str,
    now: datetime, claim_number: str = "",
) -> AccountHolder:
    """The account's holder, if the bank names `payee`; the bank's refusal as a field error. The
    holder the bank named is never shown: someone else's name is not ours to disclose."""
    try:
        return account_holder_verify(
            bank_code=bank_code, account_number=bank_account, name=payee, asked_by=actor, kpj=kpj, purpose=purpose,
            claim_number=claim_number, now=now,
        )
    except AccountNotFound as missing:
        raise BankAccountRejected(missing.message, code=missing.code) from None
    except HolderNameMismatch as mismatch:
        if by_heirs:
            message = _("Nama pemilik rekening tidak sama dengan nama ahli waris. Klaim hanya dibayar ke rekening "
                        "atas nama ahli waris sendiri.")
        else:
            message = _("Nama pemilik rekening tidak sama dengan nama peserta. Klaim hanya dibayar ke rekening "
                        "atas nama peserta sendiri.")
        raise BankAccountRejected(message, code=mismatch.code) from None


def _document_save(claim: Claim, upload: DocumentUpload, *, now: datetime) -> str:
    detected = file_type_detect(upload.content)
    relative = document_store(content=upload.content, extension=detected.extensions[0])
    ClaimDocument.objects.create(
        claim=claim,
        kind=upload.kind,
        original_name=upload.name[-200:],
        content_type=detected.content_type,
        size=len(upload.content),
        sha256=hashlib.sha256(upload.content).hexdigest(),
        path=relative,
        uploaded_at=now,
    )
    return relative


def _remove(stored: list[str]) -> None:
    for relative in stored:
        document_remove(relative)


# --- the bank account, changed by staff --------------------------------------------------------


def claim_bank_account_change(*, number: str, bank_code: str, bank_account: str, actor: str, now: datetime) -> Claim:
    """Staff put another bank account on a claim not yet approved (the member's first account was
    closed, say). The bank is asked again who holds it and the holder must still be the member
    (the heir, for a death claim); the claim keeps the new bank, number, holder name and the
    inquiry's reference, and its trail says who changed it from what (last four digits only).

    Raises StaffOnly (a member's actor), NotFound, ValidationError (bank code or account),
    ClaimStateError(bank_account_locked) once approved, paid, rejected or cancelled,
    BankAccountRejected and InquiryFailed as claim_submit does. The member is told on every
    contact on record (identity.notices); returns the claim."""
    if not actor.startswith("staff:"):
        raise StaffOnly(_("hanya petugas yang dapat mengganti rekening tujuan klaim"))
    _staff_required(actor, Role.VERIFIER)
    bank_account = " ".join(bank_account.split())
    bank_code = bank_code.strip()
    errors = _bank_field_errors(bank_code=bank_code, bank_account=bank_account)
    if errors:
        raise ValidationError(errors)
    claim = _claims(number, person_id=None).select_related("membership__person").first()
    if claim is None:
        raise _not_found(number)
    _require_bank_changeable(claim)
    by_heirs = rule_get(claim.reason).by_heirs
    holder = _holder_verified(
        kpj=claim.membership.kpj, payee=claim.heir_name if by_heirs else claim.membership.person.name,
        by_heirs=by_heirs, bank_code=bank_code, bank_account=bank_account, actor=actor,
        purpose=BankInquiry.Purpose.CLAIM_BANK_CHANGE, claim_number=claim.number, now=now,
    )
    with transaction.atomic():
        claim = _locked(number)
        _require_bank_changeable(claim)  # approved while the bank was being asked
        before = f"{claim.bank_code or '-'} {account_masked(claim.bank_account)}"
        claim.bank_code, claim.bank_account = bank_code, bank_account
        claim.bank_account_name, claim.bank_reference = holder.name[:100], holder.reference[:64]
        claim.save(update_fields=["bank_code", "bank_account", "bank_account_name", "bank_reference"])
        note = f"{before} -> {bank_code} {account_masked(bank_account)}, a.n. {holder.name} (ref {holder.reference})"
        _event(claim, actor=actor, action=Action.BANK_ACCOUNT_CHANGED, from_status=claim.status, now=now, note=note)
        security_notice(person=claim.membership.person, kind=Kind.BANK_ACCOUNT_ADDED, channel="staff", now=now,
                        claim=claim.number, account=account_masked(bank_account))
        return claim


def _require_bank_changeable(claim: Claim) -> None:
    if claim.status not in BANK_CHANGEABLE_STATUSES:
        raise ClaimStateError(
            _("rekening tujuan klaim %(number)s tidak dapat diganti lagi (status: %(status)s)")
            % {"number": claim.number, "status": claim.get_status_display()},
            code="bank_account_locked",
        )


# --- the staff's and the member's steps --------------------------------------------------------


def claim_verification_start(*, number: str, actor: str, now: datetime) -> Claim:
    """A verifier takes a submitted claim from the queue: submitted -> verifying."""
    _staff_required(actor, Role.VERIFIER)
    with transaction.atomic():
        claim = _locked(number)
        _require(claim, ClaimStatus.SUBMITTED)
        return _move(claim, ClaimStatus.VERIFYING, actor=actor, action=Action.VERIFICATION_STARTED, now=now)


def claim_verification_record(*, number: str, actor: str, now: datetime, note: str = "") -> Claim:
    """A verifier records the video call or branch visit held with the member (claims routed to staff)."""
    _staff_required(actor, Role.VERIFIER)
    with transaction.atomic():
        claim = _locked(number)
        _require(claim, ClaimStatus.VERIFYING)
        if not claim.needs_staff_verification:
            raise ClaimStateError(_("klaim ini diverifikasi secara mandiri"), code="verification_not_needed")
        claim.verified = True
        claim.save(update_fields=["verified"])
        _event(claim, actor=actor, action=Action.VERIFIED, from_status=claim.status, now=now, note=note)
        return claim


def claim_approve(*, number: str, actor: str, now: datetime) -> Claim:
    """An approver approves: verifying -> approved; a claim routed to staff needs its verification
    recorded first. Never by who started or recorded its verification (four_eyes)."""
    _staff_required(actor, Role.APPROVER)
    with transaction.atomic():
        claim = _locked(number)
        _require(claim, ClaimStatus.VERIFYING)
        _check_not_frozen(claim)
        four_eyes_check(
            actor=actor, done_by=_verifiers(claim),
            message=_("Anda sudah memverifikasi klaim %(number)s; persetujuannya harus oleh petugas lain "
                      "(prinsip empat mata).") % {"number": claim.number},
        )  # fmt: skip
        if claim.needs_staff_verification and not claim.verified:
            raise ClaimStateError(
                _("klaim %(number)s harus diverifikasi dulu (%(how)s)")
                % {"number": claim.number, "how": claim.get_verification_display()},
                code="verification_required",
            )
        if claim.reason == Reason.DEATH and claim.event_date is not None:
            # The death is now verified by staff: a fact about the person, on every card.
            death_record(person_id=claim.person_id, died_on=claim.event_date, channel="staff", now=now)
        return _move(claim, ClaimStatus.APPROVED, actor=actor, action=Action.APPROVED, now=now)


def claim_reject(*, number: str, actor: str, reason: str, now: datetime) -> Claim:
    """A verifier or an approver rejects: submitted or verifying -> rejected, with the reason the
    member will read."""
    _staff_required(actor, Role.VERIFIER, Role.APPROVER)
    reason = reason.strip()
    if not reason:
        raise ValidationError([FieldError("reason", _("alasan penolakan wajib diisi"))])
    with transaction.atomic():
        claim = _locked(number)
        _require(claim, ClaimStatus.SUBMITTED, ClaimStatus.VERIFYING)
        claim.rejection_reason = reason
        return _move(
            claim,
            ClaimStatus.REJECTED,
            actor=actor,
            action=Action.REJECTED,
            now=now,
            note=reason,
            fields=["rejection_reason"],
        )


def claim_cancel(*, number: str, person_id: int | None, actor: str, now: datetime) -> Claim:
    """The member withdraws their claim before it is approved: submitted or verifying -> cancelled."""
    with transaction.atomic():
        claim = _locked(number, person_id=person_id)
        if claim.status not in CANCELLABLE_STATUSES:
            raise ClaimStateError(
                _("klaim %(number)s tidak dapat dibatalkan lagi (status: %(status)s)")
                % {"number": claim.number, "status": claim.get_status_display()},
                code="claim_not_cancellable",
            )
        return _move(claim, ClaimStatus.CANCELLED, actor=actor, action=Action.CANCELLED, now=now)


# --- payment -----------------------------------------------------------------------------------


def claim_pay(*, number: str, actor: str, now: datetime) -> Claim:
    """approved -> paid: post the withdrawal and the tax to the ledger, in this transaction.

    The JHT account is emptied (a full claim) or reduced by its share (partial); an age claim
    with a JP lump sum empties the JP account too. The posting's key is `claim:<id>`, and the
    person, claim and accounts are locked in that order first, so a second payment of the same
    claim (even at the same moment) finds it paid and raises ClaimStateError(claim_already_paid);
    two claims of one person are taxed one after the other on their running total.

    By a treasurer who neither verified nor approved the claim (four_eyes)."""
    _staff_required(actor, Role.TREASURER)
    on = timezone.localdate(now)
    with transaction.atomic():
        person_id = _claims(number, person_id=None).values_list("person_id", flat=True).first()
        if person_id is None:
            raise _not_found(number)
        Person.objects.select_for_update().filter(id=person_id).first()
        claim = _locked(number)
        if claim.status == ClaimStatus.PAID:
            raise ClaimStateError(
                _("klaim %(number)s sudah dibayar") % {"number": claim.number}, code="claim_already_paid"
            )
        _require(claim, ClaimStatus.APPROVED)
        _check_not_frozen(claim)
        four_eyes_check(
            actor=actor, done_by=_verifiers(claim),
            message=_("Anda sudah memverifikasi klaim %(number)s; pembayarannya harus oleh petugas lain "
                      "(prinsip empat mata).") % {"number": claim.number},
        )  # fmt: skip
        four_eyes_check(
            actor=actor, done_by=claim.events.filter(action=Action.APPROVED).values_list("actor", flat=True),
            message=_("Anda sudah menyetujui klaim %(number)s; pembayarannya harus oleh petugas lain "
                      "(prinsip empat mata).") % {"number": claim.number},
        )  # fmt: skip
        accounts = {
            a.programme: a for a in Account.objects.select_for_update().filter(membership_id=claim.membership_id)
        }
        payout = _payout(claim, accounts, on=on)
        if payout.gross <= 0:
            raise ClaimStateError(_("saldo JHT kosong; tidak ada yang dibayar"), code="balance_empty")
        posting = posting_create(
            key=f"claim:{claim.id}",
            lines=_payout_lines(payout, accounts, on=on),
            description=f"klaim {claim.number} ({claim.reason})",
        )
        claim.paid_on, claim.paid_jht, claim.paid_jp, claim.paid_tax = on, payout.jht, payout.jp, payout.tax
        claim.posting = posting
        note = f"bruto {payout.gross}, pajak {payout.tax}, neto {payout.net}"
        security_notice(person=claim.membership.person, kind=Kind.CLAIM_PAID, channel="staff", now=now,
                        claim=claim.number, account=account_masked(claim.bank_account))
        return _move(
            claim,
            ClaimStatus.PAID,
            actor=actor,
            action=Action.PAID,
            now=now,
            note=note,
            fields=["paid_on", "paid_jht", "paid_jp", "paid_tax", "posting"],
        )


def _payout(claim: Claim, accounts: dict[str, Account], *, on: date) -> Payout:
    rule = rule_get(claim.reason)
    membership = claim.membership
    window = tax_window_get(person_id=claim.person_id, on=on, exclude_claim_id=claim.id)
    return payout_compute(
        # The whole materialised balance: a full claim leaves the account at exactly zero.
        jht_balance=accounts[Programme.JHT].balance,
        jp_balance=accounts[Programme.JP].balance,
        percent=rule.percent,
        jp_included=jp_lump_sum_due(
            reason=claim.reason,
            birth_date=membership.person.birth_date,
            jp_iuran_months=jp_iuran_months(membership=membership),
            on=on,
        ),
        earlier_gross=window.gross,
        earlier_tax=window.tax,
    )


def _payout_lines(payout: Payout, accounts: dict[str, Account], *, on: date) -> list[Line]:
    legs = [
        (Programme.JHT, EntryKind.WITHDRAWAL, payout.jht - payout.tax_jht),
        (Programme.JHT, EntryKind.TAX, payout.tax_jht),
        (Programme.JP, EntryKind.WITHDRAWAL, payout.jp - payout.tax_jp),
        (Programme.JP, EntryKind.TAX, payout.tax_jp),
    ]
    return [Line(accounts[programme].id, kind, -amount, on) for programme, kind, amount in legs if amount > 0]


# --- shared ------------------------------------------------------------------------------------


def _claims(number: str, *, person_id: int | None):
    claims = Claim.objects.filter(number=number)
    return claims if person_id is None else claims.filter(person_id=person_id)


def _channel(actor: str) -> str:
    """The channel a notice names: the member's (member:web) or staff's."""
    return actor.removeprefix("member:") if actor.startswith("member:") else "staff"


def _check_person(person: Person, *, rule: ReasonRule) -> None:
    """No claim while a "not me" report froze the person; after a death only the heirs' claim."""
    if person_frozen(person_id=person.id):
        raise AccessFrozen()
    if person.deceased_on is not None and not rule.by_heirs:
        raise ClaimStateError(
            _("peserta sudah meninggal dunia; hanya ahli waris yang dapat mengajukan klaim (alasan: meninggal dunia)"),
            code="member_deceased",
        )


def _check_not_frozen(claim: Claim) -> None:
    if person_frozen(person_id=claim.person_id):
        raise AccessFrozen()


def _staff_required(actor: str, *roles: Role) -> None:
    """The staff account `actor` names holds one of `roles`; a member's actor, an unknown or
    inactive account and a superuser outside the groups are refused alike (staff_role_required)."""
    role_required(staff_user_get(actor), *roles)


def _verifiers(claim: Claim) -> list[str]:
    """Who started or recorded the claim's verification, as its trail names them."""
    actions = (Action.VERIFICATION_STARTED, Action.VERIFIED)
    return list(claim.events.filter(action__in=actions).values_list("actor", flat=True))


def _not_found(number: str) -> NotFound:
    return NotFound(_("klaim %(number)s tidak ditemukan") % {"number": number}, code="claim_not_found")


def _locked(number: str, *, person_id: int | None = None) -> Claim:
    claim = _claims(number, person_id=person_id).select_for_update().select_related("membership__person").first()
    if claim is None:
        raise _not_found(number)
    return claim


def _require(claim: Claim, *statuses: str) -> None:
    if claim.status not in statuses:
        raise ClaimStateError(
            _("langkah ini tidak berlaku untuk klaim %(number)s berstatus %(status)s")
            % {"number": claim.number, "status": claim.get_status_display()}
        )


def _move(
    claim: Claim, to: str, *, actor: str, action: str, now: datetime, note: str = "", fields: list[str] | None = None
) -> Claim:
    before = claim.status
    claim.status = to
    claim.save(update_fields=["status", *(fields or [])])
    _event(claim, actor=actor, action=action, from_status=before, now=now, note=note)
    return claim


def _event(claim: Claim, *, actor: str, action: str, from_status: str, now: datetime, note: str = "") -> None:
    ClaimEvent.objects.create(
        claim=claim,
        at=now,
        actor=actor[:100],
        action=action,
        from_status=from_status,
        to_status=claim.status,
        note=note,
    )
