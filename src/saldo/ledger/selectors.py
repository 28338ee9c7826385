"""Reads from the ledger. A balance as of a date is defined once, in BALANCE_AT_SQL; every
channel reads it through statements.selectors (balance_summary_get, statement_get)."""

from dataclasses import dataclass
from datetime import date

from saldo.core.bulk import fetch_all

# The balance of account `a` counting entries valued on or before the date given as its one
# parameter: the materialised balance less the (usually empty) tail valued after that date,
# so the cost does not grow with the length of the history.
BALANCE_AT_SQL = """a.balance - COALESCE((SELECT SUM(e.amount) FROM ledger_entry e
                                          WHERE e.account_id = a.id AND e.value_date > %s), 0)"""


@dataclass(frozen=True)
class Balance:
    programme: str
    amount: int
    as_of: date


def balances_get(*, membership_id: int, as_of: date) -> dict[str, Balance]:
    """Balance per programme counting entries with value date on or before `as_of`."""
    rows = fetch_all(
        f"SELECT a.programme, {BALANCE_AT_SQL} FROM ledger_account a WHERE a.membership_id = %s ORDER BY a.programme",
        [as_of, membership_id],
    )
    # int(): on PostgreSQL bigint minus SUM(bigint) is numeric.
    return {programme: Balance(programme, int(amount), as_of) for programme, amount in rows}
