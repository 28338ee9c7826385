"""Reads about iuran: membership status and the month-by-month history with gaps."""

from dataclasses import dataclass
from datetime import date

from saldo.contributions.models import Contribution
from saldo.core.periods import add_months, iter_periods, last_complete_period, month_start
from saldo.registry.models import Membership

ACTIVE_WINDOW_MONTHS = 3
# Iuran for a month is due on the 15th of the next month (domain.md §2); before that a missing
# month is not yet a gap.
DUE_DAY = 15


class Status:
    ACTIVE = "aktif"
    INACTIVE = "non-aktif"


def membership_status(*, membership: Membership, as_of: date) -> str:
    """aktif: no end date, and iuran for at least one of the last three complete months."""
    if membership.end_date is not None and membership.end_date <= as_of:
        return Status.INACTIVE
    last = last_complete_period(as_of)
    received = (
        Contribution.objects.in_force()
        .filter(membership=membership, period__gte=add_months(last, 1 - ACTIVE_WINDOW_MONTHS), period__lte=last)
        .exists()
    )
    return Status.ACTIVE if received else Status.INACTIVE


@dataclass(frozen=True)
class MonthRow:
    period: date
    wage: int | None
    employer: int  # JHT employer share
    worker: int  # JHT worker share
    jp_employer: int
    jp_worker: int
    gap: bool


def contribution_history(*, membership: Membership, as_of: date) -> list[MonthRow]:
    """Every month from the membership's start to the last one due by `as_of`; a month with no
    iuran while the membership was open is a gap. Months paid early are listed too."""
    paid = {
        c.period: c
        for c in Contribution.objects.in_force()
        .filter(membership=membership, period__lte=month_start(as_of))
        .order_by("period")
    }
    last_due = last_complete_period(as_of)
    if as_of.day <= DUE_DAY:
        last_due = add_months(last_due, -1)
    if membership.end_date is not None:
        last_due = min(last_due, month_start(membership.end_date))
    periods = set(iter_periods(membership.start_date, last_due)) | set(paid)
    rows = []
    for period in sorted(periods):
        c = paid.get(period)
        if c:
            rows.append(MonthRow(period, c.wage, c.jht_employer, c.jht_worker, c.jp_employer, c.jp_worker, False))
        else:
            rows.append(MonthRow(period, None, 0, 0, 0, 0, True))
    return rows
