"""How a year's returns are computed from an account's entries: a pluggable strategy.

A strategy gives SQL for each account's *weighted sum* W and the divisor that turns
rate × W into rupiah; crediting rounds round_half_up(rate × W / divisor) once, exactly.
"""

from datetime import date
from typing import Protocol

from saldo.core import bulk


class ReturnsStrategy(Protocol):
    name: str

    def weighted_sums_sql(self, *, year: int) -> tuple[str, list]:
        """SQL selecting (account_id, weighted_sum), one row per account, over ledger_entry, with its parameters."""

    def months_divisor(self) -> int:
        """W / divisor is the balance the yearly rate applies to."""


class AverageMonthEndBalance:
    """domain.md §3: returns(Y) = r × (B_1 + … + B_12) / 12, B_m the balance at the end of month m.

    An entry valued in month m of Y counts in the month-ends m…12, i.e. 13 − m times; one valued
    before Y counts 12 times. So Σ B_m = Σ amount × weight, one pass over the entries, no loop
    over months. Y's own returns (value date 31 Dec Y) are left out."""

    name = "average-month-end-balance"

    def weighted_sums_sql(self, *, year: int) -> tuple[str, list]:
        jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
        weight = f"CASE WHEN e.value_date < %s THEN 12 ELSE 13 - {bulk.month_of('e.value_date')} END"
        sql = f"""SELECT e.account_id, SUM(e.amount * ({weight})) AS weighted
                  FROM ledger_entry e
                  WHERE e.value_date <= %s AND NOT (e.kind = 'returns' AND e.value_date = %s)
                  GROUP BY e.account_id"""
        return sql, [jan1, dec31, dec31]

    def months_divisor(self) -> int:
        return 12


STRATEGIES: dict[str, ReturnsStrategy] = {s.name: s for s in [AverageMonthEndBalance()]}
DEFAULT_STRATEGY = AverageMonthEndBalance.name
