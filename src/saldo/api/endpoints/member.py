"""The member's own data: person, cards, balance, statement, iuran history, digital card.

Every card is looked up among the caller's own (saldo.cards.selectors.person_card): another
member's KPJ is answered exactly like one that does not exist, 404. Each answer that discloses
personal data or money is written to the audit trail in the same transaction."""

from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from saldo.api.auth import MemberToken
from saldo.api.problems import errors
from saldo.api.schemas import (
    KPJ,
    MONTH,
    BalanceOut,
    CardOut,
    CardsOut,
    ContributionsOut,
    DigitalCardOut,
    EmployerOut,
    MonthOut,
    PersonOut,
    StatementOut,
    YearOut,
)
from saldo.api.selectors import principal_account
from saldo.audit.services import disclosure_record
from saldo.cards.qr import qr_png_data_uri
from saldo.cards.selectors import CardView, card_contributions, card_statement_year, person_card, person_cards
from saldo.cards.services import card_issue
from saldo.contributions.selectors import MonthRow
from saldo.core.errors import FieldError, ValidationError
from saldo.core.periods import format_period, parse_period
from saldo.statements.selectors import balance_summary_get

router = Router(auth=MemberToken(), tags=["member"])
KpjPath = Path(..., pattern=KPJ, description="11-digit KPJ number", examples=["68516716147"])
AsOfQuery = Query(None, description="YYYY-MM-DD (default today)")
YearPath = Path(..., ge=1977, le=2200, examples=[2025])
FromQuery = Query(None, alias="from", pattern=MONTH, description="YYYY-MM (default: the card's start)")
ToQuery = Query(None, alias="to", pattern=MONTH, description="YYYY-MM (default: this month)")


def _disclose(request: HttpRequest, kpj: str, what: str) -> None:
    disclosure_record(channel="api", recipient=request.auth.recipient, kpj=kpj, what=what, at=timezone.now())


def _card(view: CardView) -> CardOut:
    return CardOut(
        kpj=view.kpj,
        status=view.status,
        employer=EmployerOut(npp=view.employer_npp, name=view.employer_name),
        start_date=view.start_date,
        end_date=view.end_date,
        merged_into=view.merged_into,
    )


def _month(row: MonthRow) -> MonthOut:
    return MonthOut(period=format_period(row.period), wage=row.wage, jht_employer=row.employer,
                    jht_worker=row.worker, jp_employer=row.jp_employer, jp_worker=row.jp_worker, gap=row.gap)


@router.get("/me", response={200: PersonOut, **errors(401, 429)}, summary="The member: name, NIK, contact")
def me(request: HttpRequest):
    with transaction.atomic():
        account = principal_account(principal=request.auth)
        cards = person_cards(person_id=account.person_id, as_of=timezone.localdate())
        person = account.person
        if cards:
            _disclose(request, cards[0].kpj, "person")
        return PersonOut(name=person.name, nik=person.nik, birth_date=person.birth_date, sex=person.sex,
                         email=account.person.email, phone=account.person.phone, cards=len(cards))


@router.get("/cards", response={200: CardsOut, **errors(401, 429)},
            summary="Every KPJ card of the member, newest first, with status and employer")
def cards(request: HttpRequest):
    with transaction.atomic():
        views = person_cards(person_id=request.auth.person_id, as_of=timezone.localdate())
        for view in views:
            _disclose(request, view.kpj, "status")
        return CardsOut(cards=[_card(v) for v in views])


@router.get("/cards/{kpj}", response={200: CardOut, **errors(401, 404, 422, 429)}, summary="One KPJ card")
def card(request: HttpRequest, kpj: str = KpjPath):
    with transaction.atomic():
        view = person_card(person_id=request.auth.person_id, kpj=kpj, as_of=timezone.localdate())
        _disclose(request, kpj, "status")
        return _card(view)


@router.get("/cards/{kpj}/balance", response={200: BalanceOut, **errors(401, 404, 422, 429)},
            summary="JHT and JP balance of one KPJ as of a date (default today)")
def balance(request: HttpRequest, kpj: str = KpjPath, as_of: date | None = AsOfQuery):
    today = timezone.localdate()
    if as_of is not None and as_of > today:
        raise ValidationError([FieldError("as_of", _("tanggal tidak boleh di masa depan"))])
    with transaction.atomic():
        person_card(person_id=request.auth.person_id, kpj=kpj, as_of=today)
        summary = balance_summary_get(kpj=kpj, as_of=as_of or today)
        _disclose(request, kpj, "balance")
    return BalanceOut(
        kpj=kpj, as_of=summary.as_of, jht=summary.jht, jp=summary.jp, total=summary.jht + (summary.jp or 0),
        last_period=format_period(summary.last_period) if summary.last_period else None,
    )


@router.get("/cards/{kpj}/statements/{year}", response={200: StatementOut, **errors(401, 404, 422, 429)},
            summary="The yearly statement of one KPJ: movements per programme and the months of iuran")
def statement(request: HttpRequest, kpj: str = KpjPath, year: int = YearPath):
    today = timezone.localdate()
    with transaction.atomic():
        view = person_card(person_id=request.auth.person_id, kpj=kpj, as_of=today)
        found = card_statement_year(membership=view.membership, year=year, as_of=today)
        _disclose(request, kpj, "statement")
    s = found.statement
    return StatementOut(
        kpj=kpj, year=year, as_of=s.as_of, status=s.status,
        employer=EmployerOut(npp=s.employer_npp, name=s.employer_name), start_date=s.start_date,
        end_date=s.end_date,
        programmes={name: YearOut(**{k: getattr(row, k) for k in YearOut.model_fields}) for name, row in
                    found.programmes.items()},
        months=[_month(m) for m in found.months],
    )


@router.get("/cards/{kpj}/contributions", response={200: ContributionsOut, **errors(401, 404, 422, 429)},
            summary="Iuran month by month between two months, months without iuran flagged as gaps")
def contributions(
    request: HttpRequest,
    kpj: str = KpjPath,
    first: str | None = FromQuery,
    last: str | None = ToQuery,
):
    today = timezone.localdate()
    try:
        first_period = parse_period(first) if first else None
        last_period = parse_period(last) if last else None
    except ValueError as exc:
        raise ValidationError([FieldError("from" if first else "to", str(exc))]) from None
    with transaction.atomic():
        view = person_card(person_id=request.auth.person_id, kpj=kpj, as_of=today)
        months = card_contributions(membership=view.membership, first=first_period, last=last_period, as_of=today)
        _disclose(request, kpj, "contributions")
    return ContributionsOut(
        kpj=kpj,
        first=format_period(first_period or view.start_date),
        last=format_period(last_period or today),
        months=[_month(m) for m in months],
        paid=sum(not m.gap for m in months),
        gaps=sum(m.gap for m in months),
    )


@router.get("/cards/{kpj}/digital-card", response={200: DigitalCardOut, **errors(401, 404, 422, 429)},
            summary="The signed digital card (Kartu Digital) with its QR code")
def digital_card(request: HttpRequest, kpj: str = KpjPath):
    now = timezone.now()
    with transaction.atomic():
        view = person_card(person_id=request.auth.person_id, kpj=kpj, as_of=timezone.localdate(now))
        issued = card_issue(membership=view.membership, now=now)
        _disclose(request, kpj, "card")
    return DigitalCardOut(
        kpj=issued.kpj, name=issued.name, status=issued.status, employer_name=issued.employer_name,
        issued_at=issued.issued_at, expires_at=issued.expires_at, payload=issued.payload,
        qr_png=qr_png_data_uri(issued.payload),
    )
