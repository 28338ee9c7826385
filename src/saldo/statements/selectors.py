"""A KPJ's statement: yearly movements per programme and the month-by-month iuran with gaps.

This is the one read every channel (SMS, WhatsApp, web, API, CLI) renders."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Max, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from saldo.contributions.selectors import MonthRow, contribution_history, membership_status
from saldo.core.errors import NotFound
from saldo.core.periods import format_period, month_start
from saldo.core.prepared import fetch_prepared
from saldo.ledger.models import Account, Entry, EntryKind, Programme
from saldo.ledger.selectors import BALANCE_AT_SQL, balances_get
from saldo.registry.selectors import membership_get


@dataclass
class YearRow:
    year: int
    opening: int = 0
    employer: int = 0
    worker: int = 0
    returns: int = 0  # credited yearly (saldo credit-returns)
    withdrawals: int = 0  # money paid out: withdrawals and the tax withheld on them
    transfers: int = 0  # net, signed (merging KPJ)
    reversals: int = 0  # net, signed (corrections)
    closing: int = 0
    # Returns a full claim credited as it closed the account (returns.returns_due_at_closing),
    # valued in this year: their own line, for they cover only part of a year, maybe at a
    # provisional rate. Up to the last value date among them.
    claim_returns: int = 0
    claim_returns_until: date | None = None

    @property
    def claim_returns_label(self) -> str:
        """The line's label, e.g. "Hasil pengembangan s.d. Mei 2025 (dibayar bersama klaim)"."""
        if self.claim_returns_until is None:
            return ""
        return _("Hasil pengembangan s.d. %(month)s (dibayar bersama klaim)") % {
            "month": date_format(self.claim_returns_until, "F Y")
        }

    def as_json(self) -> dict:
        until = self.claim_returns_until
        return {**asdict(self), "claim_returns_until": until.isoformat() if until else None}


@dataclass
class ProgrammeStatement:
    balance: int
    years: list[YearRow] = field(default_factory=list)


@dataclass
class Statement:
    kpj: str
    status: str
    as_of: date
    employer_npp: str
    employer_name: str
    start_date: date
    end_date: date | None
    programmes: dict[str, ProgrammeStatement]
    months: list[MonthRow]

    def as_json(self) -> dict:
        """The documented JSON shape (integers are whole rupiah)."""
        return {
            "kpj": self.kpj,
            "status": self.status,
            "as_of": self.as_of.isoformat(),
            "employer": {"npp": self.employer_npp, "name": self.employer_name},
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "programmes": {
                name: {"balance": p.balance, "years": [y.as_json() for y in p.years]}
                for name, p in self.programmes.items()
            },
            "months": [
                {
                    "period": format_period(m.period),
                    "wage": m.wage,
                    "employer": m.employer,
                    "worker": m.worker,
                    "jp_employer": m.jp_employer,
                    "jp_worker": m.jp_worker,
                    "gap": m.gap,
                }
                for m in self.months
            ],
        }


# claims.services posts a claim's payment, and the returns credited as it closes an account,
# under this key prefix (claim:<id>).
CLAIM_POSTING_PREFIX = "claim:"

_COLUMN_OF_KIND = {
    EntryKind.EMPLOYER_CONTRIBUTION: "employer",
    EntryKind.WORKER_CONTRIBUTION: "worker",
    EntryKind.RETURNS: "returns",
    EntryKind.TRANSFER: "transfers",
    EntryKind.REVERSAL: "reversals",
}


def statement_get(*, kpj: str, as_of: date) -> Statement:
    membership = membership_get(kpj=kpj)
    balances = balances_get(membership_id=membership.id, as_of=as_of)
    programmes = {}
    for account in Account.objects.filter(membership=membership).order_by("programme"):
        years = _years(account, first_year=membership.start_date.year, as_of=as_of)
        programmes[account.programme] = ProgrammeStatement(balances[account.programme].amount, years)
    for programme in Programme.values:
        programmes.setdefault(programme, ProgrammeStatement(0))
    return Statement(
        kpj=membership.kpj,
        status=membership_status(membership=membership, as_of=as_of),
        as_of=as_of,
        employer_npp=membership.employer.npp,
        employer_name=membership.employer.name,
        start_date=membership.start_date,
        end_date=membership.end_date,
        programmes=programmes,
        months=contribution_history(membership=membership, as_of=as_of),
    )


def _years(account: Account, *, first_year: int, as_of: date) -> list[YearRow]:
    entries = Entry.objects.filter(account=account, value_date__lte=as_of)
    totals = entries.annotate(year=ExtractYear("value_date")).values("year", "kind").annotate(total=Sum("amount"))
    by_year: dict[int, YearRow] = {}
    for row in totals.order_by():
        year_row = by_year.setdefault(row["year"], YearRow(row["year"]))
        if row["kind"] in (EntryKind.WITHDRAWAL, EntryKind.TAX):
            year_row.withdrawals -= row["total"]
        else:
            column = _COLUMN_OF_KIND[row["kind"]]
            setattr(year_row, column, getattr(year_row, column) + row["total"])
    _claim_returns_split(entries, by_year)
    first = min([first_year, *by_year])
    rows, balance = [], 0
    for year in range(first, as_of.year + 1):
        row = by_year.get(year, YearRow(year))
        row.opening = balance
        credited = row.employer + row.worker + row.returns + row.claim_returns
        row.closing = balance + credited - row.withdrawals + row.transfers + row.reversals
        balance = row.closing
        rows.append(row)
    return rows


def _claim_returns_split(entries: QuerySet[Entry], by_year: dict[int, YearRow]) -> None:
    """Move the returns that claims' postings credited out of each year's `returns` into its
    `claim_returns`. Few rows: the partial index of returns entries serves the query."""
    paid_with_claims = (
        entries.filter(kind=EntryKind.RETURNS, posting__key__startswith=CLAIM_POSTING_PREFIX)
        .annotate(year=ExtractYear("value_date"))
        .values("year")
        .annotate(total=Sum("amount"), until=Max("value_date"))
    )
    for row in paid_with_claims.order_by():
        year_row = by_year[row["year"]]
        year_row.returns -= row["total"]
        year_row.claim_returns += row["total"]
        year_row.claim_returns_until = row["until"]


@dataclass(frozen=True)
class BalanceSummary:
    """The short answer to "what is my balance": what SMS, WhatsApp and the web's header show."""

    kpj: str
    as_of: date
    jht: int
    jp: int | None  # None when the member has no JP (no JP entries up to as_of)
    last_period: date | None  # the latest wage month with iuran received


def balance_summary_get(*, kpj: str, as_of: date) -> BalanceSummary:
    """The balances as of `as_of` and the last month of iuran (up to the as-of month), in one
    round trip: this answers every SMS and WhatsApp balance request, so it is the hot path."""
    rows = fetch_prepared(BALANCE_SUMMARY_SQL, balance_summary_params(kpj=kpj, as_of=as_of))
    if not rows:
        raise NotFound(_("KPJ %(kpj)s tidak ditemukan") % {"kpj": kpj}, code="kpj_not_found")
    return balance_summary_from(rows[0], kpj=kpj, as_of=as_of)


def balance_summary_params(*, kpj: str, as_of: date) -> list:
    """The parameters of BALANCE_SUMMARY_SQL, in order."""
    return [*balance_columns_params(as_of=as_of), kpj]


def balance_columns_params(*, as_of: date) -> list:
    """The parameters of BALANCE_SUMMARY_COLUMNS, in order."""
    return [as_of, as_of, as_of, month_start(as_of)]


def balance_summary_from(row: Sequence, *, kpj: str, as_of: date) -> BalanceSummary:
    """The summary in a row of BALANCE_SUMMARY_SQL (for a caller that reads it in a statement of
    its own making: the SMS handlers, together with the sender's bindings)."""
    jht, jp, jp_has_entries, last_period = row
    return BalanceSummary(
        kpj=kpj,
        as_of=as_of,
        # int(): on PostgreSQL bigint minus SUM(bigint) is numeric.
        jht=int(jht or 0),
        jp=int(jp) if jp_has_entries and jp is not None else None,
        last_period=_as_date(last_period),
    )


_BALANCE_AT = f"""(SELECT {BALANCE_AT_SQL}
                   FROM ledger_account a WHERE a.membership_id = m.id AND a.programme = '{{programme}}')"""
# The summary of the membership whose id is `m.id`: JHT balance, JP balance, whether JP has
# entries, last month of iuran. Parameters: balance_columns_params. For a caller that finds the
# membership its own way (the SMS handlers, through the sender's bindings).
BALANCE_SUMMARY_COLUMNS = f"""{_BALANCE_AT.format(programme="JHT")},
       {_BALANCE_AT.format(programme="JP")},
       EXISTS (SELECT 1 FROM ledger_account a JOIN ledger_entry e ON e.account_id = a.id
               WHERE a.membership_id = m.id AND a.programme = 'JP' AND e.value_date <= %s),
       (SELECT MAX(c.period) FROM contributions_contribution c
        WHERE c.membership_id = m.id AND c.reversal_id IS NULL AND c.period <= %s)"""
# One row for the KPJ (none if there is no such KPJ). Parameters: balance_summary_params.
BALANCE_SUMMARY_SQL = f"""
SELECT {BALANCE_SUMMARY_COLUMNS}
FROM registry_membership m WHERE m.kpj = %s
"""


def _as_date(value: date | str | None) -> date | None:
    # SQLite returns dates from raw SQL as text.
    return date.fromisoformat(value) if isinstance(value, str) else value
