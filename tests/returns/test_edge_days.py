"""The end of a returns year on the days it is most easily got wrong (tests/edge_days.py): a year is
credited from the 1st of January after it, never on its own 31 December, and its returns count in
balances from 31 December, the day they are valued."""

from datetime import date

import pytest

from saldo.core.errors import SaldoError
from saldo.ledger.models import Programme
from saldo.ledger.selectors import balances_get
from saldo.returns.services import rate_declare, returns_credit
from tests.edge_days import (
    FIFTEENTH,
    FIRST,
    LAST_OF_MONTH,
    LEAP_DAY,
    NEW_YEARS_EVE,
    SIXTEENTH,
    missing_edge_days,
)
from tests.factories import account_of, make_member, post_entries

# (as_of, year) -> whether that year's returns may be credited on that day.
MAY_CREDIT = [
    (FIRST, 2027, False),
    (FIFTEENTH, 2027, False),
    (SIXTEENTH, 2027, False),
    (LAST_OF_MONTH, 2027, False),
    (FIRST, 2026, True),
    (NEW_YEARS_EVE, 2026, False),  # the year's last day is not over yet
    (date(2027, 1, 1), 2026, True),
    (date(2027, 12, 31), 2027, False),
    (date(2028, 1, 1), 2027, True),
    (LEAP_DAY, 2027, True),
    (LEAP_DAY, 2028, False),
]

# 100,000 of iuran valued 31 January 2026; 6% of it for the whole of 2026 is 6,000, valued 31 December.
BALANCE_ON = [
    (date(2026, 12, 30), 100_000),
    (NEW_YEARS_EVE, 106_000),
    (date(2027, 1, 1), 106_000),
    (FIRST, 106_000),
    (FIFTEENTH, 106_000),
    (SIXTEENTH, 106_000),
    (LAST_OF_MONTH, 106_000),
    (LEAP_DAY, 106_000),  # 2027's returns are not credited in this test
]


def test_both_tables_cover_every_edge_day():
    assert missing_edge_days(day for day, _, _ in MAY_CREDIT) == set()
    assert missing_edge_days(day for day, _ in BALANCE_ON) == set()


@pytest.fixture
def member():
    member = make_member(start_date=date(2026, 1, 1))
    post_entries(account_of(member), [(date(2026, 1, 31), 100_000)], key="iuran")
    for year in (2026, 2027, 2028):
        rate_declare(year=year, rate_percent="6")
    return member


@pytest.mark.parametrize(("as_of", "year", "credited"), MAY_CREDIT, ids=[f"{d} {y}" for d, y, _ in MAY_CREDIT])
def test_a_year_is_credited_from_the_first_of_january_after_it(member, as_of, year, credited):
    if credited:
        assert returns_credit(year=year, as_of=as_of).accounts_credited == 1
    else:
        with pytest.raises(SaldoError) as refused:
            returns_credit(year=year, as_of=as_of)
        assert refused.value.code == "year_not_over"


@pytest.mark.parametrize(("as_of", "jht"), BALANCE_ON, ids=[f"{d}" for d, _ in BALANCE_ON])
def test_a_years_returns_count_from_its_31_december(member, as_of, jht):
    returns_credit(year=2026, as_of=date(2027, 1, 1))
    assert balances_get(membership_id=member.id, as_of=as_of)[Programme.JHT].amount == jht
