"""How a year's returns are computed from an account's entries: a pluggable strategy.

A strategy gives each account's *weighted sum* W, twice: as SQL over ledger_entry for crediting
every account at once, and in Python over one account's entries for a claim that closes the
account (returns.services.returns_due_at_closing). The divisor turns rate × W into rupiah;
the amount is round_half_up(rate × W / divisor), rounded once, exactly.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from saldo.core import bulk
from saldo.ledger.models import DEBIT_KINDS, EntryKind


@dataclass(frozen=True)
class LedgerEntry:
    """What a strategy reads of one entry of one account."""

    value_date: date
    amount: int
    kind: str
    posting_id: int | None  # None: an amount not posted yet (returns a closing is about to pay)


class ReturnsStrategy(Protocol):
    name: str

    def weighted_sums_sql(self, *, year: int) -> tuple[str, list]:
        """SQL selecting (account_id, weighted), one row per account, over ledger_entry, with its parameters."""

    def weighted_sum(self, entries: Sequence[LedgerEntry], *, year: int, months: int = 12) -> int:
        """W of one account's entries, as the SQL computes it; with `months` < 12, W of the first
        `months` months only (a claim paid in month `months` + 1 closes the account)."""

    def months_divisor(self) -> int:
        """W / divisor is the balance the yearly rate applies to."""


class AverageMonthEndBalance:
    """domain.md §3: returns(Y) = r × (B_1 + … + B_12) / 12, B_m the balance at the end of month m.

    An entry valued in month m of Y counts in the month-ends m…12, i.e. 13 − m times; one valued
    before Y counts 12 times. So Σ B_m = Σ amount × weight, one pass over the entries, no loop
    over months.

    Y's own returns (value date 31 Dec Y) are left out, except returns a claim paid out on that
    same day: a claim paid on 31 Dec Y credits Y's returns for January–November valued that day
    and withdraws them with the balance, so leaving them out would make December's balance
    negative. A claim paid later that credits Y's whole year (valued 31 Dec Y) pays out in Y + 1:
    those returns are Y's own and are left out."""

    name = "average-month-end-balance"

    def weighted_sums_sql(self, *, year: int) -> tuple[str, list]:
        jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
        weight = f"CASE WHEN e.value_date < %s THEN 12 ELSE 13 - {bulk.month_of('e.value_date')} END"
        paid_out = ", ".join(f"'{kind}'" for kind in DEBIT_KINDS)
        # The subquery runs only for returns valued 31 Dec Y (at crediting time: those claims
        # posted) and reads the (account, value_date) index.
        sql = f"""SELECT e.account_id, SUM(e.amount * ({weight})) AS weighted
                  FROM ledger_entry e
                  WHERE e.value_date <= %s
                    AND NOT (e.kind = 'returns' AND e.value_date = %s
                             AND NOT EXISTS (SELECT 1 FROM ledger_entry w
                                             WHERE w.account_id = e.account_id AND w.value_date = e.value_date
                                               AND w.posting_id = e.posting_id AND w.kind IN ({paid_out})))
                  GROUP BY e.account_id"""
        return sql, [jan1, dec31, dec31]

    def weighted_sum(self, entries: Sequence[LedgerEntry], *, year: int, months: int = 12) -> int:
        jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
        paid_out = {(e.posting_id, e.value_date) for e in entries if e.kind in DEBIT_KINDS and e.posting_id}
        total = 0
        for e in entries:
            own_returns = e.kind == EntryKind.RETURNS and e.value_date == dec31
            if e.value_date > dec31 or (own_returns and (e.posting_id, e.value_date) not in paid_out):
                continue
            weight = months if e.value_date < jan1 else max(0, months + 1 - e.value_date.month)
            total += e.amount * weight
        return total

    def months_divisor(self) -> int:
        return 12


STRATEGIES: dict[str, ReturnsStrategy] = {s.name: s for s in [AverageMonthEndBalance()]}
DEFAULT_STRATEGY = AverageMonthEndBalance.name
