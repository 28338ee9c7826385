"""Reads about claims: the facts the engine needs, the estimate every channel shows, a member's
claims and their status, and the one-glance overview for text channels (SMS/WhatsApp KLAIM).

Member-facing reads take `person_id`: the person the channel authenticated. A KPJ or claim that
is not theirs raises the same NotFound as one that does not exist (channels answer 404). Only
operator tools (the CLI) pass `person_id=None`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Min, Q, Sum
from django.utils.translation import gettext as _

from saldo.claims.eligibility import Eligibility, MemberFacts, eligibility_check
from saldo.claims.models import (
    CANCELLABLE_STATUSES,
    ENDED_UNPAID,
    FULL_REASONS,
    OPEN_STATUSES,
    Claim,
    ClaimStatus,
    Verification,
)
from saldo.claims.payout import Payout, payout_compute
from saldo.claims.rules import PARTIAL_REASONS, RULES, ReasonRule, jp_lump_sum_due, rule_get
from saldo.contributions.models import Contribution
from saldo.contributions.selectors import Status, membership_status
from saldo.core.errors import NotFound
from saldo.ledger.selectors import balances_get
from saldo.registry.models import Membership
from saldo.registry.selectors import membership_get


def member_membership_get(*, kpj: str, person_id: int | None) -> Membership:
    """The membership `kpj`, if it belongs to `person_id` (None: operator, any KPJ). The same
    NotFound whether the KPJ does not exist or is someone else's, so nothing is disclosed."""
    membership = membership_get(kpj=kpj)
    if person_id is not None and membership.person_id != person_id:
        raise NotFound(_("KPJ %(kpj)s tidak ditemukan") % {"kpj": kpj}, code="kpj_not_found")
    return membership


def member_facts_get(*, membership: Membership, as_of: date) -> MemberFacts:
    """Everything the eligibility engine reads about `membership` and its holder on `as_of`."""
    person = membership.person
    first_start = Membership.objects.filter(person_id=person.id).aggregate(first=Min("start_date"))["first"]
    person_claims = Claim.objects.filter(person_id=person.id)
    return MemberFacts(
        birth_date=person.birth_date,
        first_membership_start=first_start,
        end_date=membership.end_date,
        active=membership_status(membership=membership, as_of=as_of) == Status.ACTIVE,
        partial_taken=person_claims.filter(reason__in=PARTIAL_REASONS).exclude(status__in=ENDED_UNPAID).exists(),
        closed=person_claims.filter(membership=membership, reason__in=FULL_REASONS, status=ClaimStatus.PAID).exists(),
        jht_balance=balances_get(membership_id=membership.id, as_of=as_of)["JHT"].amount,
    )


@dataclass(frozen=True)
class TaxWindow:
    """What the person was paid by claims within the tax window before a payment (payout.py)."""

    gross: int
    tax: int


def tax_window_get(*, person_id: int, on: date, exclude_claim_id: int | None = None) -> TaxWindow:
    """Gross paid and tax withheld on the person's claims paid this calendar year or the one before."""
    paid = Claim.objects.filter(
        person_id=person_id, status=ClaimStatus.PAID, paid_on__gte=date(on.year - 1, 1, 1), paid_on__lte=on
    ).exclude(id=exclude_claim_id)
    totals = paid.aggregate(jht=Sum("paid_jht"), jp=Sum("paid_jp"), tax=Sum("paid_tax"))
    return TaxWindow(gross=(totals["jht"] or 0) + (totals["jp"] or 0), tax=totals["tax"] or 0)


def jp_iuran_months(*, membership: Membership) -> int:
    return Contribution.objects.in_force().filter(membership=membership, jp_employer__gt=0).count()


def verification_route(*, rule: ReasonRule, jht_balance: int) -> str:
    """Self-service up to the limit (SALDO_CLAIMS["SELF_SERVICE_LIMIT"]); above it, or for a
    reason staff always verify, a video call (the member may ask for a branch visit instead)."""
    if rule.self_service and jht_balance <= settings.SALDO_CLAIMS["SELF_SERVICE_LIMIT"]:
        return Verification.SELF_SERVICE
    return Verification.VIDEO_CALL


@dataclass(frozen=True)
class ClaimEstimate:
    """What a member sees before applying: can they claim, how much, how much tax, and how the
    claim would be verified. Amounts are whole rupiah as of `as_of`."""

    kpj: str
    reason: str
    reason_label: str
    as_of: date
    eligibility: Eligibility
    jht_balance: int
    jp_balance: int
    payout: Payout
    # Gross and tax of the person's earlier claims in the tax window, aggregated with this one.
    earlier_gross: int
    earlier_tax: int
    verification: str  # Verification: self_service, or video_call when staff must verify
    self_service_limit: int

    @property
    def self_service(self) -> bool:
        return self.verification == Verification.SELF_SERVICE

    def as_json(self) -> dict:
        return {
            "kpj": self.kpj,
            "reason": self.reason,
            "reason_label": self.reason_label,
            "as_of": self.as_of.isoformat(),
            "eligibility": self.eligibility.as_json(),
            "balances": {"JHT": self.jht_balance, "JP": self.jp_balance},
            "payout": self.payout.as_json(),
            "tax_window": {"earlier_gross": self.earlier_gross, "earlier_tax": self.earlier_tax},
            "self_service": self.self_service,
            "verification": self.verification,
            "self_service_limit": self.self_service_limit,
        }


def claim_estimate_get(
    *, kpj: str, reason: str, as_of: date, person_id: int | None, event_date: date | None = None
) -> ClaimEstimate:
    """The one estimate every channel shows (and `saldo claim-estimate`). Raises NotFound for a
    KPJ that is not the person's, UnknownReason for a reason not in the table."""
    rule = rule_get(reason)
    membership = member_membership_get(kpj=kpj, person_id=person_id)
    return membership_estimate_get(membership=membership, rule=rule, as_of=as_of, event_date=event_date)


def membership_estimate_get(
    *, membership: Membership, rule: ReasonRule, as_of: date, event_date: date | None
) -> ClaimEstimate:
    """The estimate for a membership already resolved (and checked to be the caller's)."""
    facts = member_facts_get(membership=membership, as_of=as_of)
    eligibility = eligibility_check(facts=facts, reason=rule.reason, as_of=as_of, event_date=event_date)
    balances = balances_get(membership_id=membership.id, as_of=as_of)
    jp_included = jp_lump_sum_due(
        reason=rule.reason,
        birth_date=facts.birth_date,
        jp_iuran_months=jp_iuran_months(membership=membership),
        on=as_of,
    )
    window = tax_window_get(person_id=membership.person_id, on=as_of)
    payout = payout_compute(
        jht_balance=balances["JHT"].amount,
        jp_balance=balances["JP"].amount,
        percent=rule.percent,
        jp_included=jp_included,
        earlier_gross=window.gross,
        earlier_tax=window.tax,
    )
    return ClaimEstimate(
        kpj=membership.kpj,
        reason=rule.reason.value,
        reason_label=str(rule.label),
        as_of=as_of,
        eligibility=eligibility,
        jht_balance=balances["JHT"].amount,
        jp_balance=balances["JP"].amount,
        payout=payout,
        earlier_gross=window.gross,
        earlier_tax=window.tax,
        verification=verification_route(rule=rule, jht_balance=balances["JHT"].amount),
        self_service_limit=settings.SALDO_CLAIMS["SELF_SERVICE_LIMIT"],
    )


@dataclass(frozen=True)
class ClaimEventView:
    at: datetime
    action: str
    status: str
    by: str  # "member", "staff" or "system": a member is not shown staff names

    def as_json(self) -> dict:
        return {"at": self.at.isoformat(), "action": self.action, "status": self.status, "by": self.by}


@dataclass(frozen=True)
class ClaimView:
    """One claim as its member sees it (status tracking)."""

    number: str
    kpj: str
    reason: str
    status: str
    verification: str
    verified: bool
    submitted_at: datetime
    event_date: date | None
    estimated_gross: int
    estimated_tax: int
    rejection_reason: str
    paid_on: date | None
    paid_gross: int | None
    paid_tax: int | None
    events: list[ClaimEventView] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def cancellable(self) -> bool:
        """The member may still withdraw it (services.claim_cancel)."""
        return self.status in CANCELLABLE_STATUSES

    @property
    def paid_net(self) -> int | None:
        return None if self.paid_gross is None else self.paid_gross - self.paid_tax

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "kpj": self.kpj,
            "reason": self.reason,
            "status": self.status,
            "open": self.is_open,
            "verification": self.verification,
            "verified": self.verified,
            "submitted_at": self.submitted_at.isoformat(),
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "estimate": {
                "gross": self.estimated_gross,
                "tax": self.estimated_tax,
                "net": self.estimated_gross - self.estimated_tax,
            },
            "rejection_reason": self.rejection_reason or None,
            "paid": None
            if self.paid_on is None
            else {
                "on": self.paid_on.isoformat(),
                "gross": self.paid_gross,
                "tax": self.paid_tax,
                "net": self.paid_net,
            },
            "events": [e.as_json() for e in self.events],
        }


def claim_view(claim: Claim) -> ClaimView:
    events = [
        ClaimEventView(e.at, e.action, e.to_status, e.actor.split(":", 1)[0]) for e in claim.events.order_by("at", "id")
    ]
    paid_gross = None if claim.paid_jht is None else claim.paid_jht + (claim.paid_jp or 0)
    return ClaimView(
        number=claim.number,
        kpj=claim.membership.kpj,
        reason=claim.reason,
        status=claim.status,
        verification=claim.verification,
        verified=claim.verified,
        submitted_at=claim.submitted_at,
        event_date=claim.event_date,
        estimated_gross=claim.estimated_gross,
        estimated_tax=claim.estimated_tax,
        rejection_reason=claim.rejection_reason,
        paid_on=claim.paid_on,
        paid_gross=paid_gross,
        paid_tax=claim.paid_tax,
        events=events,
    )


def open_claim_of(*, memberships: list[Membership]) -> Claim | None:
    """The claim in progress on any of these cards (at most one per card), if there is one."""
    in_progress = Claim.objects.select_related("membership").filter(status__in=OPEN_STATUSES)
    return in_progress.filter(membership__in=memberships).first()


def claim_get(*, number: str, person_id: int | None) -> ClaimView:
    """One claim by its number, if it is the person's (None: operator). NotFound otherwise."""
    claims = Claim.objects.select_related("membership").filter(number=number)
    if person_id is not None:
        claims = claims.filter(person_id=person_id)
    claim = claims.first()
    if claim is None:
        raise NotFound(_("klaim %(number)s tidak ditemukan") % {"number": number}, code="claim_not_found")
    return claim_view(claim)


def claims_list(*, kpj: str, person_id: int | None) -> list[ClaimView]:
    """Every claim of the KPJ, newest first."""
    membership = member_membership_get(kpj=kpj, person_id=person_id)
    claims = Claim.objects.select_related("membership").filter(membership=membership).order_by("-submitted_at", "-id")
    return [claim_view(c) for c in claims]


# The reasons a text channel can judge with no date from the member: the registry holds the rest.
OVERVIEW_REASONS = tuple(r for r, rule in RULES.items() if not rule.needs_event_date)


@dataclass(frozen=True)
class ClaimOverview:
    """Eligibility and the open claim in one read: what SMS `KLAIM <KPJ>` answers."""

    kpj: str
    as_of: date
    jht_balance: int
    open_claim: ClaimView | None
    # One eligibility per reason that needs no date from the member (OVERVIEW_REASONS).
    eligibilities: list[Eligibility]

    @property
    def eligible_now(self) -> list[str]:
        return [e.reason for e in self.eligibilities if e.eligible]

    @property
    def next_opening(self) -> Eligibility | None:
        """Among the reasons not open yet, the one that opens first by time alone (None: none will)."""
        future = [e for e in self.eligibilities if not e.eligible and e.eligible_from]
        return min(future, key=lambda e: e.eligible_from, default=None)

    def as_json(self) -> dict:
        next_opening = self.next_opening
        return {
            "kpj": self.kpj,
            "as_of": self.as_of.isoformat(),
            "jht_balance": self.jht_balance,
            "open_claim": self.open_claim.as_json() if self.open_claim else None,
            "eligible_now": self.eligible_now,
            "next_opening": {"reason": next_opening.reason, "date": next_opening.eligible_from.isoformat()}
            if next_opening
            else None,
            "eligibilities": [e.as_json() for e in self.eligibilities],
        }


def claim_overview_get(*, kpj: str, person_id: int | None, as_of: date) -> ClaimOverview:
    """Eligibility for every reason a text channel can judge, plus the claim in progress."""
    membership = member_membership_get(kpj=kpj, person_id=person_id)
    facts = member_facts_get(membership=membership, as_of=as_of)
    open_claim = (
        Claim.objects.select_related("membership")
        .filter(membership=membership)
        .filter(Q(status__in=OPEN_STATUSES))
        .first()
    )
    return ClaimOverview(
        kpj=membership.kpj,
        as_of=as_of,
        jht_balance=facts.jht_balance,
        open_claim=claim_view(open_claim) if open_claim else None,
        eligibilities=[eligibility_check(facts=facts, reason=r, as_of=as_of) for r in OVERVIEW_REASONS],
    )
