"""Declaring yearly rates and crediting returns to every JHT and JP account, set-based."""

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
from saldo.returns.strategies import DEFAULT_STRATEGY, STRATEGIES

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
    return Entry.objects.filter(kind=EntryKind.RETURNS, value_date=date(year, 12, 31)).exists()


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
    so a second run credits nothing, even to accounts funded late."""
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
    rate_units = int(declared.rate_percent * RATE_SCALE)
    divisor = method.months_divisor() * 100 * RATE_SCALE
    dec31 = date(year, 12, 31)
    sums_sql, params = method.weighted_sums_sql(year=year)
    amount = bulk.int_div(f"2 * w.weighted * {rate_units} + {divisor}", str(2 * divisor))
    key = f"returns:{year}"
    with transaction.atomic():
        if Posting.objects.filter(key=key).exists():
            return CreditResult(year, declared.rate_percent, 0, 0, key, already_credited=True)
        bulk.tune_for_bulk()
        bulk.temp_table_drop("stage_returns")
        # Sorted by account: the entries below then reach their indexes, and the balance update
        # the accounts, in key order rather than in the random order of a hash aggregate.
        bulk.execute(
            f"""CREATE TEMPORARY TABLE stage_returns AS
                SELECT w.account_id, {amount} AS amount FROM ({sums_sql}) w WHERE w.weighted > 0
                ORDER BY w.account_id""",
            params,
        )
        if bulk.is_postgres():
            bulk.execute("ANALYZE stage_returns")
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
                [dec31],
            )
            balances_add(
                deltas_sql="SELECT account_id, amount FROM stage_returns WHERE amount > 0", one_row_per_account=True
            )
        bulk.temp_table_drop("stage_returns")
    return CreditResult(year, declared.rate_percent, count, int(total), key if count else None)
