"""JHT claims from the app: the reasons with the documents each needs, eligibility and estimate,
the application with its documents (multipart/form-data), the member's claims with their trail,
and withdrawing one before approval.

Thin adapters over saldo.claims: the same selectors and services the portal calls
(portal/views/claims.py). A KPJ or claim number that is not the caller's is answered exactly like
one that does not exist, 404. Every answer that shows a balance or an amount is written to the
audit trail in the transaction that read it; a refused application leaves neither a claim, a
file nor a disclosure row (only the bank inquiry, if one was made: banking.BankInquiry)."""

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Status, UploadedFile

from saldo.api.auth import MemberToken
from saldo.api.endpoints.member import KpjPath
from saldo.api.problems import errors
from saldo.api.schemas import (
    CLAIM_NUMBER,
    REASON_HELP,
    ClaimAmountsOut,
    ClaimApplyIn,
    ClaimEstimateOut,
    ClaimEventOut,
    ClaimOut,
    ClaimPaidOut,
    ClaimsOut,
    ConditionOut,
    DocumentChoiceOut,
    DocumentRequirementOut,
    PayoutOut,
    ReasonOut,
    ReasonsOut,
    TaxWindowOut,
)
from saldo.audit.services import disclosure_record
from saldo.claims.documents import FILE_TYPES, DocumentUpload, max_upload_bytes
from saldo.claims.models import ClaimEvent, ClaimStatus, Verification
from saldo.claims.rules import DOCUMENT_LABELS, RULES, ReasonRule, rule_get
from saldo.claims.selectors import ClaimEstimate, ClaimView, claim_estimate_get, claim_get, claim_view, claims_list
from saldo.claims.services import claim_cancel, claim_submit, member_actor
from saldo.core.errors import FieldError, ValidationError

router = Router(auth=MemberToken(), tags=["claims"])
CHANNEL = "api"
NumberPath = Path(..., pattern=CLAIM_NUMBER, description="the claim number", examples=["KL-20261126-000001"])
ReasonQuery = Query(..., max_length=30, description=REASON_HELP, examples=["resignation"])
AsOfQuery = Query(None, description="the claim date YYYY-MM-DD (default today)")
DocumentsFile = File(None, description="one file per required document (JPG, PNG or PDF, 6 MB at most), its kind "
                     "at the same place in document_kinds")
EventDateQuery = Query(None, description="YYYY-MM-DD: the day of departure, disability or death, for those reasons")


def _disclose(request: HttpRequest, kpj: str, what: str, at: datetime) -> None:
    disclosure_record(channel=CHANNEL, recipient=request.auth.recipient, kpj=kpj, what=what, at=at)


@router.get("/claim-reasons", response={200: ReasonsOut, **errors(401, 429)},
            summary="The claim reasons, what each needs and the documents to upload (to build the form)")
def reasons(request: HttpRequest):
    return ReasonsOut(
        reasons=[_reason(rule) for rule in RULES.values()],
        accepted_types=[file_type.content_type for file_type in FILE_TYPES],
        max_upload_bytes=max_upload_bytes(),
        self_service_limit=settings.SALDO_CLAIMS["SELF_SERVICE_LIMIT"],
    )


@router.get("/cards/{kpj}/claims/estimate", response={200: ClaimEstimateOut, **errors(401, 404, 422, 429)},
            summary="Can this KPJ claim for a reason on a date (default today), and if not why and from when; "
                    "gross, tax and net")
def estimate(
    request: HttpRequest,
    kpj: str = KpjPath,
    reason: str = ReasonQuery,
    as_of: date | None = AsOfQuery,
    event_date: date | None = EventDateQuery,
):
    now = timezone.now()
    with transaction.atomic():
        found = claim_estimate_get(kpj=kpj, reason=reason, as_of=as_of or timezone.localdate(now),
                                   person_id=request.auth.person_id, event_date=event_date)
        _disclose(request, kpj, "claim-estimate", now)
    return _estimate(found)


@router.get("/cards/{kpj}/claims", response={200: ClaimsOut, **errors(401, 404, 422, 429)},
            summary="The claims made on one KPJ, newest first, with their status and trail")
def claims(request: HttpRequest, kpj: str = KpjPath):
    now = timezone.now()
    with transaction.atomic():
        views = claims_list(kpj=kpj, person_id=request.auth.person_id)
        _disclose(request, kpj, "claims", now)
    return ClaimsOut(kpj=kpj, claims=[_claim(view) for view in views])


@router.post("/cards/{kpj}/claims", response={201: ClaimOut, **errors(400, 401, 404, 409, 422, 429, 503)},
             summary="Apply for a claim (multipart/form-data): the fields, and one file in `documents` per "
                     "required document with its kind in `document_kinds`; the bank is asked who holds "
                     "`bank_account` (503 bank_unavailable when it cannot be asked now)")
def apply(
    request: HttpRequest,
    data: Form[ClaimApplyIn],
    kpj: str = KpjPath,
    documents: list[UploadedFile] = DocumentsFile,
):
    files = documents or []
    if len(data.document_kinds) != len(files):
        message = _("sebutkan satu jenis dokumen untuk setiap berkas, dalam urutan yang sama")
        raise ValidationError([FieldError("document_kinds", message)])
    uploads = [DocumentUpload.from_file(kind=kind, file=file) for kind, file in zip(data.document_kinds, files,
                                                                                    strict=True)]
    now = timezone.now()
    # Not inside a transaction of ours: the bank inquiry's audit row stays when the bank refuses.
    # A refused application raises here, before anything is disclosed (no disclosure row).
    claim = claim_submit(
        kpj=kpj,
        person_id=request.auth.person_id,
        reason=data.reason,
        documents=uploads,
        bank_code=data.bank_code,
        bank_account=data.bank_account,
        event_date=data.event_date,
        heir_name=data.heir_name,
        verification=data.verification,
        as_of=timezone.localdate(now),
        now=now,
        actor=member_actor(CHANNEL),
    )
    with transaction.atomic():
        _disclose(request, kpj, "claim", now)
        view = claim_view(claim)
    return Status(201, _claim(view))


@router.get("/claims/{number}", response={200: ClaimOut, **errors(401, 404, 422, 429)},
            summary="One claim by its number: status, amounts and who did what")
def claim(request: HttpRequest, number: str = NumberPath):
    now = timezone.now()
    with transaction.atomic():
        view = claim_get(number=number, person_id=request.auth.person_id)
        _disclose(request, view.kpj, "claim", now)
    return _claim(view)


@router.post("/claims/{number}/cancel", response={200: ClaimOut, **errors(401, 404, 409, 422, 429)},
             summary="Withdraw a claim not yet approved (409 claim_not_cancellable after approval)")
def cancel(request: HttpRequest, number: str = NumberPath):
    now = timezone.now()
    with transaction.atomic():
        claim = claim_cancel(number=number, person_id=request.auth.person_id, actor=member_actor(CHANNEL), now=now)
        view = claim_view(claim)
        _disclose(request, view.kpj, "claim", now)
    return _claim(view)


def _reason(rule: ReasonRule) -> ReasonOut:
    return ReasonOut(
        reason=rule.reason.value,
        label=str(rule.label),
        percent=rule.percent,
        needs_event_date=rule.needs_event_date,
        needs_heir_name=rule.by_heirs,
        always_staff_verified=not rule.self_service,
        min_age=rule.min_age,
        waiting_months=rule.waiting_months,
        min_membership_years=rule.min_membership_years,
        documents=[
            DocumentRequirementOut(
                any_of=[DocumentChoiceOut(kind=kind.value, label=str(DOCUMENT_LABELS[kind])) for kind in requirement]
            )
            for requirement in rule.required_documents
        ],
    )


def _estimate(found: ClaimEstimate) -> ClaimEstimateOut:
    eligibility = found.eligibility
    return ClaimEstimateOut(
        kpj=found.kpj,
        reason=found.reason,
        reason_label=found.reason_label,
        as_of=found.as_of,
        eligible=eligibility.eligible,
        eligible_from=eligibility.eligible_from,
        conditions=[ConditionOut(code=c.code, message=c.message, earliest=c.earliest) for c in eligibility.conditions],
        jht_balance=found.jht_balance,
        jp_balance=found.jp_balance,
        payout=PayoutOut(**found.payout.as_json()),
        tax_window=TaxWindowOut(earlier_gross=found.earlier_gross, earlier_tax=found.earlier_tax),
        verification=found.verification,
        self_service=found.self_service,
        self_service_limit=found.self_service_limit,
    )


def _claim(view: ClaimView) -> ClaimOut:
    return ClaimOut(
        number=view.number,
        kpj=view.kpj,
        reason=view.reason,
        reason_label=str(rule_get(view.reason).label),
        status=view.status,
        status_label=str(ClaimStatus(view.status).label),
        open=view.is_open,
        cancellable=view.cancellable,
        verification=view.verification,
        verification_label=str(Verification(view.verification).label),
        verified=view.verified,
        submitted_at=view.submitted_at,
        event_date=view.event_date,
        estimate=ClaimAmountsOut(gross=view.estimated_gross, tax=view.estimated_tax,
                                 net=view.estimated_gross - view.estimated_tax),
        rejection_reason=view.rejection_reason or None,
        paid=None if view.paid_on is None else ClaimPaidOut(on=view.paid_on, gross=view.paid_gross,
                                                            tax=view.paid_tax, net=view.paid_net),
        events=[
            ClaimEventOut(at=e.at, action=e.action, action_label=str(ClaimEvent.Action(e.action).label),
                          status=e.status, by=e.by)
            for e in view.events
        ],
    )
