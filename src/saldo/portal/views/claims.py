"""Layanan → Klaim JHT: eligibility and estimate per KPJ, the application with its documents, and
the member's claims with their status. Behind the Cek Saldo PIN (the pages show the balance);
another person's KPJ or claim number is a 404, exactly like one that does not exist."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saldo.banking.errors import InquiryFailed
from saldo.claims.eligibility import Code
from saldo.claims.errors import ClaimAlreadyOpen, ClaimStateError, NotEligible
from saldo.claims.models import Verification
from saldo.claims.rules import RULES, UnknownReason, rule_get
from saldo.claims.selectors import ClaimEstimate
from saldo.claims.services import claim_cancel, claim_submit, member_actor
from saldo.core.errors import NotFound, ValidationError
from saldo.identity.selectors import account_membership
from saldo.portal.forms import ClaimApplyForm, ClaimEstimateForm
from saldo.portal.services import (
    CHANNEL,
    claim_disclose,
    claim_estimate_disclose,
    claim_overviews_disclose,
)
from saldo.portal.views.balance import unlocked_required


@require_GET
@unlocked_required("klaim")
def claims(request: HttpRequest) -> HttpResponse:
    """Every KPJ: whether each reason can be claimed today (or from when), the claims made."""
    now = timezone.now()
    found = claim_overviews_disclose(account=request.account, as_of=timezone.localdate(now), now=now)
    # One estimate form per KPJ, each with its own field ids.
    rows = [(k, ClaimEstimateForm(auto_id=f"id_{k.overview.kpj}_%s")) for k in found]
    return render(request, "portal/claims.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@unlocked_required("klaim")
def claim_estimate(request: HttpRequest, kpj: str) -> HttpResponse:
    """The estimate (gross, tax, net) and eligibility for the reason the member picked: the form
    posts it; a link may name the reason (?reason=)."""
    form = ClaimEstimateForm(request.POST if request.method == "POST" else (request.GET or None))
    estimate = None
    if form.is_valid():
        now = timezone.now()
        try:
            estimate = claim_estimate_disclose(
                account=request.account,
                kpj=kpj,
                reason=form.cleaned_data["reason"],
                event_date=form.cleaned_data["event_date"],
                as_of=timezone.localdate(now),
                now=now,
            )
        except NotFound:
            raise Http404() from None
    elif not _owns(request, kpj):
        raise Http404()
    can_apply = estimate is not None and _can_apply(estimate)
    context = {"kpj": kpj, "form": form, "estimate": estimate, "can_apply": can_apply}
    return render(request, "portal/claim_estimate.html", context)


@require_http_methods(["GET", "POST"])
@unlocked_required("klaim")
def claim_apply(request: HttpRequest, kpj: str) -> HttpResponse:
    """The application for `?alasan=`: documents, bank and account, date; the claim number on
    success. A refusal (not eligible, a claim already open, documents not accepted, an account not
    in the member's name, the bank unreachable) changes nothing."""
    if not _owns(request, kpj):
        raise Http404()
    reason = request.GET.get("alasan", "")
    try:
        rule = rule_get(reason)
    except UnknownReason as unknown:
        messages.error(request, unknown.message)
        return redirect("portal:claims")
    now = timezone.now()
    as_of = timezone.localdate(now)
    estimate = claim_estimate_disclose(account=request.account, kpj=kpj, reason=reason, as_of=as_of, now=now)
    staff_verified = estimate.verification != Verification.SELF_SERVICE
    form = ClaimApplyForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        rule=rule,
        staff_verified=staff_verified,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = claim_submit(
                kpj=kpj,
                person_id=request.account.person_id,
                reason=reason,
                documents=form.documents(),
                bank_code=data["bank_code"],
                bank_account=data["bank_account"],
                event_date=data.get("event_date"),
                heir_name=data.get("heir_name", ""),
                verification=data.get("verification"),
                as_of=as_of,
                now=now,
                actor=member_actor(CHANNEL),
            )
        except NotEligible as refused:
            form.add_error(None, _("Anda belum dapat mengajukan klaim ini:"))
            for condition in refused.eligibility.conditions:
                form.add_error(None, condition.message)
        except ClaimAlreadyOpen as open_claim:
            form.add_error(None, _("KPJ ini masih punya klaim yang sedang diproses (%(number)s). Tunggu sampai "
                                   "klaim itu selesai, atau batalkan dulu.") % {"number": open_claim.number})
        except ValidationError as invalid:  # DocumentsRejected too: each problem next to its file
            form.add_domain_errors(invalid)  # BankAccountRejected: on the account number
        except InquiryFailed as unavailable:
            form.add_error(None, unavailable.message)
        else:
            messages.success(request, _("Klaim Anda sudah diajukan. Nomor klaim: %(number)s.") % {
                "number": claim.number})
            return redirect("portal:claim", number=claim.number)
    context = {"kpj": kpj, "rule": rule, "form": form, "estimate": estimate}
    return render(request, "portal/claim_apply.html", context)


@require_GET
@unlocked_required("klaim")
def claim_detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        claim = claim_disclose(account=request.account, number=number, now=timezone.now())
    except NotFound:
        raise Http404() from None
    return render(request, "portal/claim.html", {"claim": claim, "rule": RULES[claim.reason]})


@require_POST
@unlocked_required("klaim")
def claim_cancel_view(request: HttpRequest, number: str) -> HttpResponse:
    """The member withdraws a claim not yet approved."""
    try:
        claim = claim_cancel(
            number=number, person_id=request.account.person_id, actor=member_actor(CHANNEL), now=timezone.now()
        )
    except NotFound:
        raise Http404() from None
    except ClaimStateError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Klaim %(number)s dibatalkan.") % {"number": claim.number})
    return redirect(reverse("portal:claim", kwargs={"number": number}))


def _can_apply(estimate: ClaimEstimate) -> bool:
    """Eligible, or only the date is missing (the application form asks for it)."""
    return all(c.code == Code.EVENT_DATE_MISSING for c in estimate.eligibility.conditions)


def _owns(request: HttpRequest, kpj: str) -> bool:
    return account_membership(person_id=request.account.person_id, kpj=kpj) is not None
