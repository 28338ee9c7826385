"""A member's KPJ cards as every member channel shows them (app, web portal, WhatsApp): the list
with status and employer, one card (only the owner's: anyone else's is NotFound), a year's
statement and the iuran between two months."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from saldo.contributions.selectors import MonthRow, contribution_history, membership_status
from saldo.core.errors import FieldError, NotFound, ValidationError
from saldo.core.periods import month_start
from saldo.identity.selectors import account_membership, account_memberships
from saldo.merging.selectors import merged_into_map
from saldo.registry.models import Membership
from saldo.statements.selectors import Statement, YearRow, statement_get


@dataclass(frozen=True)
class CardView:
    membership: Membership
    kpj: str
    status: str
    employer_npp: str
    employer_name: str
    start_date: date
    end_date: date | None
    merged_into: str | None


def person_cards(*, person_id: int, as_of: date) -> list[CardView]:
    """Every card of the person, newest first."""
    memberships = account_memberships(person_id=person_id)
    merged = merged_into_map(kpjs=[m.kpj for m in memberships])
    return [_view(m, as_of=as_of, merged_into=merged.get(m.kpj)) for m in memberships]


def person_card(*, person_id: int, kpj: str, as_of: date) -> CardView:
    """The card `kpj` of this person; NotFound when it does not exist or is someone else's (the
    caller cannot tell which)."""
    membership = account_membership(person_id=person_id, kpj=kpj)
    if membership is None:
        raise NotFound(_("KPJ %(kpj)s tidak ditemukan") % {"kpj": kpj}, code="kpj_not_found")
    return _view(membership, as_of=as_of, merged_into=merged_into_map(kpjs=[kpj]).get(kpj))


def _view(membership: Membership, *, as_of: date, merged_into: str | None) -> CardView:
    return CardView(
        membership=membership,
        kpj=membership.kpj,
        status=membership_status(membership=membership, as_of=as_of),
        employer_npp=membership.employer.npp,
        employer_name=membership.employer.name,
        start_date=membership.start_date,
        end_date=membership.end_date,
        merged_into=merged_into,
    )


@dataclass(frozen=True)
class YearStatement:
    statement: Statement  # balances and status as of the year's last day, or `as_of` in the running year
    year: int
    programmes: dict[str, YearRow]
    months: list[MonthRow]


def card_statement_year(*, membership: Membership, year: int, as_of: date) -> YearStatement:
    """The statement of one calendar year. A year before the card started or after `as_of` has
    none (NotFound)."""
    if not membership.start_date.year <= year <= as_of.year:
        raise NotFound(
            _("Tidak ada laporan tahun %(year)d untuk KPJ %(kpj)s.") % {"year": year, "kpj": membership.kpj},
            code="statement_not_found",
        )
    statement = statement_get(kpj=membership.kpj, as_of=min(date(year, 12, 31), as_of))
    programmes = {
        name: next((row for row in programme.years if row.year == year), YearRow(year))
        for name, programme in statement.programmes.items()
    }
    # The months as known today: a past year's December is due in January and may arrive later.
    months = [m for m in contribution_history(membership=membership, as_of=as_of) if m.period.year == year]
    return YearStatement(statement, year, programmes, months)


def card_contributions(*, membership: Membership, first: date | None, last: date | None, as_of: date) -> list[MonthRow]:
    """Month by month from `first` to `last` (default: the card's first month to the month of
    `as_of`), each month with its iuran or flagged as a gap."""
    first = month_start(first or membership.start_date)
    last = month_start(last or as_of)
    if first > last:
        raise ValidationError([FieldError("from", _("bulan awal sesudah bulan akhir"))])
    return [m for m in contribution_history(membership=membership, as_of=as_of) if first <= m.period <= last]
