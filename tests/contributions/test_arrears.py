"""An employer's arrears for one KPJ (domain.md §2 due day, §5 "not served while the employer is
in arrears"): the months due while the membership was open with no iuran in force."""

from datetime import date

import pytest

from saldo.contributions.selectors import Arrears, arrears_get
from saldo.contributions.services import contribution_reverse
from tests.factories import make_employer, make_member, post_contribution

JAN, FEB, MAR, APR, MAY = (date(2024, month, 1) for month in range(1, 6))
# Iuran for a month is due on the 15th of the next month: April's is owed from 16 May.
MAY_15 = date(2024, 5, 15)
MAY_16 = date(2024, 5, 16)
ENDED_20_FEB = date(2024, 2, 20)


def member_paid(months: list[str], *, end_date: date | None = None):
    employer = make_employer(npp="87654321", name="PT SENTOSA ABADI")
    member = make_member(start_date=date(2024, 1, 10), end_date=end_date, employer=employer)
    for period in months:
        post_contribution(member, period, 5_000_000)
    return member


@pytest.mark.parametrize(
    ("paid", "end_date", "as_of", "owed"),
    [
        pytest.param(["2024-01", "2024-02", "2024-03"], None, MAY_15, (), id="no gap: April not due until the 15th"),
        pytest.param(["2024-01", "2024-03"], None, MAY_15, (FEB,), id="a gap in the middle"),
        pytest.param(["2024-01", "2024-02", "2024-03"], None, MAY_16, (APR,), id="April owed from the 16th"),
        pytest.param([], None, MAY_16, (JAN, FEB, MAR, APR), id="nothing paid: every month from the start"),
        pytest.param(["2024-01"], ENDED_20_FEB, MAY_16, (FEB,), id="ended in February: later months not owed"),
        pytest.param(["2024-01", "2024-02"], ENDED_20_FEB, MAY_16, (), id="ended and paid up"),
        pytest.param(["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"], None, MAY_16, (), id="paid ahead"),
    ],
)
def test_the_employer_owes_every_month_due_and_unpaid_while_the_membership_was_open(paid, end_date, as_of, owed):
    arrears = arrears_get(membership=member_paid(paid, end_date=end_date), as_of=as_of)
    assert arrears == (Arrears(npp="87654321", employer_name="PT SENTOSA ABADI", months=owed) if owed else None)


def test_a_reversed_month_counts_as_not_paid():
    member = member_paid(["2024-01", "2024-02", "2024-03"])
    contribution_reverse(kpj=member.kpj, period=FEB, reason="upah salah")
    assert arrears_get(membership=member, as_of=MAY_15) == Arrears("87654321", "PT SENTOSA ABADI", (FEB,))


def test_a_membership_with_no_month_due_yet_owes_nothing_without_asking_the_database(django_assert_num_queries):
    member = make_member(start_date=date(2024, 4, 1))
    with django_assert_num_queries(0):
        assert arrears_get(membership=member, as_of=MAY_15) is None


def test_the_arrears_of_years_are_read_in_two_queries(django_assert_num_queries):
    member = make_member(start_date=date(2019, 1, 1))
    post_contribution(member, "2020-06", 5_000_000)
    member = type(member).objects.get(pk=member.pk)  # the employer not yet loaded
    with django_assert_num_queries(2):  # the months paid, then the employer
        arrears = arrears_get(membership=member, as_of=MAY_16)
    assert (len(arrears.months), arrears.months[0], arrears.months[-1]) == (63, date(2019, 1, 1), APR)
