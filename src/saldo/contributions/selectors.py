"""Reads about iuran: membership status, the month-by-month history with gaps, and the employer's
arrears."""

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
    periods = set(owed_periods(membership=membership, as_of=as_of)) | set(paid)
    rows = []
    for period in sorted(periods):
        c = paid.get(period)
        if c:
            rows.append(MonthRow(period, c.wage, c.jht_employer, c.jht_worker, c.jp_employer, c.jp_worker, False))
        else:
            rows.append(MonthRow(period, None, 0, 0, 0, 0, True))
    return rows


def last_due_period(as_of: date) -> date:
    """The latest month whose iuran is overdue on `as_of`: due on the 15th of the next month, so
    owed from the 16th (as of 15 May: March; as of 16 May: April). Holidays are not moved."""
    last = last_complete_period(as_of)
    return add_months(last, -1) if as_of.day <= DUE_DAY else last


def owed_periods(*, membership: Membership, as_of: date) -> list[date]:
    """The months the employer had to pay for this KPJ by `as_of`: from the start month to the
    last one due, and no later than the month the membership ended (it owes nothing after)."""
    last = last_due_period(as_of)
    if membership.end_date is not None:
        last = min(last, month_start(membership.end_date))
    return list(iter_periods(membership.start_date, last))


@dataclass(frozen=True)
class Arrears:
    """What a KPJ's employer owes: the months (first days, ascending) with no iuran in force."""

    npp: str
    employer_name: str
    months: tuple[date, ...]


def arrears_get(*, membership: Membership, as_of: date) -> Arrears | None:
    """The months this KPJ's employer is in arrears on `as_of` (a claim is not served meanwhile,
    domain.md §5); None when nothing is owed. A reversed month is owed again until reposted."""
    owed = owed_periods(membership=membership, as_of=as_of)
    if not owed:
        return None
    paid = set(
        Contribution.objects.in_force()
        .filter(membership=membership, period__gte=owed[0], period__lte=owed[-1])
        .values_list("period", flat=True)
    )
    months = tuple(period for period in owed if period not in paid)
    if not months:
        return None
    employer = membership.employer
    return Arrears(npp=employer.npp, employer_name=employer.name, months=months)
