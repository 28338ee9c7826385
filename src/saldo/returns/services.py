"""Declaring yearly rates; crediting returns to every JHT and JP account, set-based; and the returns
due to one account as a full claim closes it, by the same method."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from saldo.core import bulk
from saldo.core.errors import ConfigurationMissing, FieldError, SaldoError, ValidationError
from saldo.ledger.models import Entry, EntryKind, Posting
from saldo.ledger.services import balances_add
from saldo.returns.models import DeclaredRate
from saldo.returns.strategies import DEFAULT_STRATEGY, STRATEGIES, LedgerEntry, ReturnsStrategy

# Rates are applied as integers in units of 1/10,000 of a percent (6.06% = 60,600).
RATE_SCALE = 10_000


def rate_declare(*, year: int, rate_percent: str | Decimal, note: str = "") -> DeclaredRate:
    """Record the declared rate for a year. A year already credited keeps its rate."""
    try:
        rate = Decimal(str(rate_percent))
    except InvalidOperation:
        raise ValidationError([FieldError("rate", _("tingkat harus angka persen, mis. 6.06"))]) from None
    if not rate.is_finite() or not (Decimal(0) <= rate < Decimal(100)) or rate != rate.quantize(Decimal("0.0001")):
        raise ValidationError([FieldError("rate", _("tingkat harus 0 sampai <100 persen, paling banyak 4 desimal"))])
    if not 1977 <= year <= 2200:
        raise ValidationError([FieldError("year", _("tahun tidak wajar"))])
    existing = DeclaredRate.objects.filter(year=year).first()
    if existing and existing.rate_percent == rate:
        return existing
    if existing and _credited(year):
        raise SaldoError(
            _("hasil pengembangan %(year)d sudah dikreditkan dengan tingkat %(rate)s%%; tingkat tidak bisa diubah")
            % {"year": year, "rate": existing.rate_percent},
            code="rate_already_applied",
        )
    rate_row, _created = DeclaredRate.objects.update_or_create(year=year, defaults={"rate_percent": rate, "note": note})
    return rate_row


def _credited(year: int) -> bool:
    # The year's posting, not any returns entry valued 31 Dec: a claim paid on or after that day
    # may have credited the year's returns to the account it closed, at a provisional rate.
    return Posting.objects.filter(key=_posting_key(year)).exists()


def _posting_key(year: int) -> str:
    return f"returns:{year}"


@dataclass(frozen=True)
class CreditResult:
    year: int
    rate_percent: Decimal
    accounts_credited: int
    total: int
    posting_key: str | None
    already_credited: bool = False


def returns_credit(*, year: int, as_of: date, strategy: str = DEFAULT_STRATEGY) -> CreditResult:
    """Credit year `year`'s returns to every JHT and JP account, in one posting, once.

    A year is credited once: iuran posted after that earns nothing for the year (domain.md §3),
    so a second run credits nothing, even to accounts funded late.

    An account gets the year's amount less the returns valued in the year that other postings
    already credited to it: those a full claim paid as it closed the account
    (returns_due_at_closing), at the year's rate or, before it was declared, at the last one.
    Only a positive difference is posted. A negative one (the provisional rate was higher) is
    not clawed back: the member keeps it."""
    if date(year, 12, 31) >= as_of:
        raise SaldoError(
            _("tahun %(year)d belum selesai per %(date)s") % {"year": year, "date": f"{as_of:%d-%m-%Y}"},
            code="year_not_over",
        )
    declared = DeclaredRate.objects.filter(year=year).first()
    if declared is None:
        raise ConfigurationMissing(
            _(
                "belum ada tingkat hasil pengembangan yang dideklarasikan untuk %(year)d; "
                "jalankan dulu: saldo declare-rate --year %(year)d --rate <persen>"
            )
            % {"year": year}
        )
    method = STRATEGIES[strategy]
    key = _posting_key(year)
    with transaction.atomic():
        if Posting.objects.filter(key=key).exists():
            return CreditResult(year, declared.rate_percent, 0, 0, key, already_credited=True)
        bulk.tune_for_bulk()
        _stage_write(year=year, rate_percent=declared.rate_percent, method=method)
        count, total = bulk.fetch_all("SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM stage_returns WHERE amount > 0")[
            0
        ]
        if count:
            description = _("Hasil pengembangan %(year)d %(rate)s%% (%(method)s)") % {
                "year": year,
                "rate": declared.rate_percent,
                "method": method.name,
            }
            posting = Posting.objects.create(key=key, description=description)
            bulk.execute(
                f"""INSERT INTO ledger_entry (posting_id, account_id, kind, amount, value_date)
                    SELECT {int(posting.id)}, account_id, 'returns', amount, %s FROM stage_returns WHERE amount > 0""",
                [date(year, 12, 31)],
            )
            balances_add(
                deltas_sql="SELECT account_id, amount FROM stage_returns WHERE amount > 0", one_row_per_account=True
            )
        bulk.temp_table_drop("stage_returns")
    return CreditResult(year, declared.rate_percent, count, int(total), key if count else None)


def _stage_write(*, year: int, rate_percent: Decimal, method: ReturnsStrategy) -> None:
    """stage_returns(account_id, amount): what each account is due for `year`, the returns other
    postings credited to it for the year already deducted (negative or zero: nothing due)."""
    rate_units = int(rate_percent * RATE_SCALE)
    divisor = method.months_divisor() * 100 * RATE_SCALE
    sums_sql, params = method.weighted_sums_sql(year=year)
    amount = bulk.int_div(f"2 * w.weighted * {rate_units} + {divisor}", str(2 * divisor))
    bulk.temp_table_drop("stage_returns")
    # Sorted by account: the entries, and the balance update, then reach the accounts in key
    # order rather than in the random order of a hash aggregate. The returns valued in the
    # year are all other postings' (the year's own posting is written once, after this), and
    # few: the partial unique index of returns entries serves them.
    bulk.execute(
        f"""CREATE TEMPORARY TABLE stage_returns AS
            SELECT w.account_id, CAST({amount} - COALESCE(c.credited, 0) AS bigint) AS amount
            FROM ({sums_sql}) w
            LEFT JOIN (SELECT account_id, SUM(amount) AS credited FROM ledger_entry
                       WHERE kind = 'returns' AND value_date BETWEEN %s AND %s
                       GROUP BY account_id) c ON c.account_id = w.account_id
            WHERE w.weighted > 0
            ORDER BY w.account_id""",
        [*params, date(year, 1, 1), date(year, 12, 31)],
    )
    if bulk.is_postgres():
        bulk.execute("ANALYZE stage_returns")


# --- a full claim closing an account ------------------------------------------------------------


@dataclass(frozen=True)
class ClosingReturns:
    """Returns credited to an account as a full claim pays its whole balance out, for one year."""

    year: int
    rate_percent: Decimal
    rate_year: int  # the year whose declared rate was used
    amount: int
    value_date: date
    provisional: bool  # rate_year != year: crediting the year settles the difference


def returns_due_at_closing(*, account_id: int, on: date, strategy: str = DEFAULT_STRATEGY) -> list[ClosingReturns]:
    """The returns to credit to the account a full claim closes (pays out in full) on `on`, by
    the crediting method (returns_credit), so that no year's returns reach a closed account later:

    - every year before on's that is not credited yet (no posting returns:<year>) and in which
      the account had money: the whole year's returns, valued 31 Dec, so they count in the next
      years' balances here as crediting would count them;
    - on's year: the month-ends before the payment month (the payment month's end is zero:
      the account is emptied), still divided by 12, valued `on`. A payment on 31 Dec counts
      January–November.

    Each at the year's declared rate or, until it is declared, at the last declared one
    (provisional; crediting the year settles a positive difference). Less the returns other
    postings credited for the year already (an earlier claim on the account: a top-up). Years
    with no rate declared up to them, and amounts of 0, are left out."""
    method = STRATEGIES[strategy]
    entries = _entries_of(account_id)
    if not entries:
        return []
    years = range(min(e.value_date.year for e in entries), on.year + 1)
    credited = _credited_years(years)
    rates = list(DeclaredRate.objects.filter(year__lte=on.year).order_by("year").values_list("year", "rate_percent"))
    due = []
    for year in years:
        rate = _rate_for(rates, year)
        if year in credited or rate is None:
            continue
        rate_year, rate_percent = rate
        months, value_date = (12, date(year, 12, 31)) if year < on.year else (on.month - 1, on)
        weighted = method.weighted_sum(entries, year=year, months=months)
        amount = _rounded_returns(weighted, rate_percent, method) - _credited_in(entries, year)
        if amount > 0:
            due.append(ClosingReturns(year, rate_percent, rate_year, amount, value_date, rate_year != year))
            # Compounds into the next years, as if posted (value date 31 Dec for a past year).
            entries.append(LedgerEntry(value_date, amount, EntryKind.RETURNS, None))
    return due


def _entries_of(account_id: int) -> list[LedgerEntry]:
    rows = Entry.objects.filter(account_id=account_id).values_list("value_date", "amount", "kind", "posting_id")
    return [LedgerEntry(*row) for row in rows]


def _credited_years(years: range) -> set[int]:
    keys = Posting.objects.filter(key__in=[_posting_key(y) for y in years]).values_list("key", flat=True)
    return {int(key.removeprefix("returns:")) for key in keys}


def _rate_for(rates: list[tuple[int, Decimal]], year: int) -> tuple[int, Decimal] | None:
    """(rate year, rate) of the year's declared rate, else of the latest declared before it."""
    earlier = [rate for rate in rates if rate[0] <= year]
    return earlier[-1] if earlier else None


def _rounded_returns(weighted: int, rate_percent: Decimal, method: ReturnsStrategy) -> int:
    """round_half_up(rate × W / divisor) in integers, as the crediting SQL computes it."""
    if weighted <= 0:
        return 0
    divisor = method.months_divisor() * 100 * RATE_SCALE
    return (2 * weighted * int(rate_percent * RATE_SCALE) + divisor) // (2 * divisor)


def _credited_in(entries: list[LedgerEntry], year: int) -> int:
    """Returns valued in `year` already on the account (the year is not credited: none is the
    year's own posting's), as crediting deducts them."""
    return sum(e.amount for e in entries if e.kind == EntryKind.RETURNS and e.value_date.year == year)
