"""Membership status (domain.md §4) and the month-by-month iuran history with gaps."""

from datetime import date

import pytest

from saldo.contributions.selectors import (
    MonthRow,
    Status,
    contribution_history,
    membership_status,
)
from saldo.statements.selectors import balance_summary_get
from tests.factories import make_member, post_contribution

MAY_10 = date(2024, 5, 10)


def member_paid(months: list[str], **kwargs):
    member = make_member(**({"start_date": date(2023, 1, 1)} | kwargs))
    for period in months:
        post_contribution(member, period, 5_000_000)
    return member


def paid(period: date) -> MonthRow:
    """The row of a month paid on 5,000,000: JHT 185,000 + 100,000, JP 100,000 + 50,000."""
    return MonthRow(period, 5_000_000, 185_000, 100_000, 100_000, 50_000, gap=False)


def gap(period: date) -> MonthRow:
    return MonthRow(period, None, 0, 0, 0, 0, gap=True)


# --- status ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "status"),
    [
        (["2024-02"], Status.ACTIVE),
        (["2024-03"], Status.ACTIVE),
        (["2024-04"], Status.ACTIVE),
        (["2024-02", "2024-03", "2024-04"], Status.ACTIVE),
        (["2023-06", "2024-01"], Status.INACTIVE),  # January is outside Feb-Apr
        (["2024-05"], Status.INACTIVE),  # May is not complete on 10 May
        ([], Status.INACTIVE),
    ],
)
def test_as_of_10_may_a_membership_is_aktif_iff_iuran_came_for_february_march_or_april(months, status):
    assert membership_status(membership=member_paid(months), as_of=MAY_10) == status


def test_the_status_words_are_aktif_and_non_aktif():
    assert (Status.ACTIVE, Status.INACTIVE) == ("aktif", "non-aktif")


def test_the_window_crosses_new_year():
    member = member_paid(["2023-12"])
    assert membership_status(membership=member, as_of=date(2024, 3, 1)) == Status.ACTIVE  # Dec-Feb
    assert membership_status(membership=member, as_of=date(2024, 4, 1)) == Status.INACTIVE  # Jan-Mar


def test_the_last_day_of_a_month_does_not_complete_it():
    member = member_paid(["2024-01"])
    assert membership_status(membership=member, as_of=date(2024, 4, 30)) == Status.ACTIVE  # Jan-Mar
    assert membership_status(membership=member, as_of=date(2024, 5, 31)) == Status.INACTIVE  # Feb-Apr


def test_an_ended_membership_is_non_aktif_even_with_recent_iuran():
    member = member_paid(["2024-03", "2024-04"], end_date=date(2024, 4, 30))
    assert membership_status(membership=member, as_of=MAY_10) == Status.INACTIVE


def test_a_membership_ending_on_the_as_of_date_is_non_aktif():
    member = member_paid(["2024-04"], end_date=MAY_10)
    assert membership_status(membership=member, as_of=MAY_10) == Status.INACTIVE


def test_before_its_end_date_a_membership_was_judged_by_its_iuran():
    member = member_paid(["2024-04"], end_date=date(2024, 6, 30))
    assert membership_status(membership=member, as_of=MAY_10) == Status.ACTIVE


def test_the_last_contribution_period_up_to_the_as_of_month():
    member = member_paid(["2024-01", "2024-03", "2024-06"])
    assert balance_summary_get(kpj=member.kpj, as_of=MAY_10).last_period == date(2024, 3, 1)
    assert balance_summary_get(kpj=member_paid([]).kpj, as_of=MAY_10).last_period is None


# --- history -----------------------------------------------------------------------------------


def test_the_history_lists_every_month_since_the_start_with_missing_ones_as_gaps():
    member = member_paid(["2024-01", "2024-02", "2024-04"], start_date=date(2024, 1, 1))
    assert contribution_history(membership=member, as_of=date(2024, 5, 20)) == [
        paid(date(2024, 1, 1)),
        paid(date(2024, 2, 1)),
        gap(date(2024, 3, 1)),
        paid(date(2024, 4, 1)),
    ]


def test_a_month_is_not_a_gap_before_its_iuran_is_due_on_the_15th_of_the_next_month():
    member = member_paid(["2024-01", "2024-02"], start_date=date(2024, 1, 1))
    history = {d: contribution_history(membership=member, as_of=date(2024, 5, d)) for d in (1, 14, 15, 16)}
    march = [paid(date(2024, 1, 1)), paid(date(2024, 2, 1)), gap(date(2024, 3, 1))]
    assert history == {1: march, 14: march, 15: march, 16: [*march, gap(date(2024, 4, 1))]}


def test_a_month_paid_early_is_listed():
    member = member_paid(["2024-04", "2024-05"], start_date=date(2024, 4, 1))
    history = contribution_history(membership=member, as_of=MAY_10)
    assert history == [paid(date(2024, 4, 1)), paid(date(2024, 5, 1))]


def test_iuran_for_months_after_the_as_of_month_is_not_listed():
    member = member_paid(["2024-03", "2024-06"], start_date=date(2024, 3, 1))
    assert contribution_history(membership=member, as_of=date(2024, 5, 20)) == [
        paid(date(2024, 3, 1)),
        gap(date(2024, 4, 1)),
    ]


def test_the_month_a_membership_starts_in_counts_even_from_mid_month():
    member = member_paid([], start_date=date(2024, 2, 15))
    assert contribution_history(membership=member, as_of=date(2024, 4, 20)) == [
        gap(date(2024, 2, 1)),
        gap(date(2024, 3, 1)),
    ]


def test_months_after_the_membership_ended_are_not_gaps():
    member = member_paid(["2023-10", "2023-11"], start_date=date(2023, 10, 1), end_date=date(2024, 1, 20))
    assert contribution_history(membership=member, as_of=date(2024, 6, 20)) == [
        paid(date(2023, 10, 1)),
        paid(date(2023, 11, 1)),
        gap(date(2023, 12, 1)),
        gap(date(2024, 1, 1)),
    ]


def test_a_new_membership_has_no_history_yet():
    member = member_paid([], start_date=date(2024, 5, 1))
    assert contribution_history(membership=member, as_of=MAY_10) == []


def test_the_history_shows_the_wage_and_the_shares_of_each_month():
    member = make_member(start_date=date(2024, 1, 1))
    post_contribution(member, "2024-01", 5_000_025)
    post_contribution(member, "2024-02", 20_000_000)
    assert contribution_history(membership=member, as_of=date(2024, 3, 16)) == [
        MonthRow(date(2024, 1, 1), 5_000_025, 185_001, 100_001, 100_001, 50_000, gap=False),
        MonthRow(date(2024, 2, 1), 20_000_000, 740_000, 400_000, 191_192, 95_596, gap=False),
    ]
