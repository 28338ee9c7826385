"""Reads from the ledger. Every channel's balance comes from `balances_get`."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from saldo.ledger.models import Account, Entry


@dataclass(frozen=True)
class Balance:
    programme: str
    amount: int
    as_of: date


def balances_get(*, membership_id: int, as_of: date) -> dict[str, Balance]:
    """Balance per programme counting entries with value date on or before `as_of`.

    Reads the materialised balance and subtracts the (usually empty) tail of entries valued
    after `as_of`, so the cost does not grow with the length of the history."""
    accounts = list(Account.objects.filter(membership_id=membership_id).order_by("programme"))
    later = dict(
        Entry.objects.filter(account__in=accounts, value_date__gt=as_of)
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    return {a.programme: Balance(a.programme, a.balance - (later.get(a.id) or 0), as_of) for a in accounts}
