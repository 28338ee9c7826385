"""The two date rules of iuran on the days they are most easily got wrong (tests/edge_days.py):
a month's iuran falls due on the 15th of the next month, so it is a gap only from the 16th; a
membership is aktif when iuran came for one of the last three complete months."""

from datetime import date

import pytest

from saldo.contributions.selectors import Status, contribution_history, membership_status
from saldo.core.periods import format_period
from tests.edge_days import (
    FIFTEENTH,
    FIRST,
    LAST_OF_MONTH,
    LEAP_DAY,
    NEW_YEARS_EVE,
    SIXTEENTH,
    missing_edge_days,
)
from tests.factories import make_member, post_contribution

# as_of -> the last month whose iuran is due (and so, unpaid, a gap).
LAST_MONTH_DUE = [
    (FIRST, "2027-01"),  # February is due on 15 March
    (FIFTEENTH, "2027-01"),
    (SIXTEENTH, "2027-02"),
    (LAST_OF_MONTH, "2027-02"),
    (NEW_YEARS_EVE, "2026-11"),
    (date(2027, 1, 1), "2026-11"),
    (date(2027, 1, 15), "2026-11"),
    (date(2027, 1, 16), "2026-12"),  # December's iuran, due in the new year
    (date(2028, 2, 15), "2027-12"),
    (LEAP_DAY, "2028-01"),
    (date(2028, 3, 1), "2028-01"),
]

# as_of -> the oldest and the newest month whose iuran makes the membership aktif.
ACTIVE_WINDOW = [
    (FIRST, ("2026-12", "2027-02")),  # February is complete on 1 March, short as it is
    (FIFTEENTH, ("2026-12", "2027-02")),
    (SIXTEENTH, ("2026-12", "2027-02")),
    (LAST_OF_MONTH, ("2026-12", "2027-02")),  # March is not complete until it is over
    (NEW_YEARS_EVE, ("2026-09", "2026-11")),
    (date(2027, 1, 1), ("2026-10", "2026-12")),
    (date(2028, 2, 28), ("2027-11", "2028-01")),
    (LEAP_DAY, ("2027-11", "2028-01")),
]


def test_both_tables_cover_every_edge_day():
    assert missing_edge_days(day for day, _ in LAST_MONTH_DUE) == set()
    assert missing_edge_days(day for day, _ in ACTIVE_WINDOW) == set()


@pytest.mark.parametrize(("as_of", "last_due"), LAST_MONTH_DUE, ids=[f"{d}" for d, _ in LAST_MONTH_DUE])
def test_a_month_without_iuran_is_a_gap_from_the_16th_of_the_next_month(as_of, last_due):
    member = make_member(start_date=date(2026, 6, 1))
    post_contribution(member, "2026-06", 5_000_000)
    history = contribution_history(membership=member, as_of=as_of)
    assert (format_period(history[-1].period), history[-1].gap) == (last_due, True)


def paid_once(period: str):
    member = make_member(start_date=date(2026, 1, 1))
    post_contribution(member, period, 5_000_000)
    return member


def month_before(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


@pytest.mark.parametrize(("as_of", "window"), ACTIVE_WINDOW, ids=[f"{d}" for d, _ in ACTIVE_WINDOW])
def test_aktif_means_iuran_for_one_of_the_last_three_complete_months(as_of, window):
    oldest, newest = window
    this_month = format_period(as_of)
    statuses = {
        period: membership_status(membership=paid_once(period), as_of=as_of)
        for period in (month_before(oldest), oldest, newest, this_month)
    }
    assert statuses == {
        month_before(oldest): Status.INACTIVE,
        oldest: Status.ACTIVE,
        newest: Status.ACTIVE,
        this_month: Status.INACTIVE,  # paid early for a month not yet complete
    }
