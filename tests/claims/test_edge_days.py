"""The age rule of a JHT claim (56) on the days it is most easily got wrong (tests/edge_days.py),
and on a 29 February birthday."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from saldo.claims.eligibility import Code, MemberFacts, eligibility_check
from tests.edge_days import EDGE_DAYS, FIRST, LEAP_DAY, NEW_YEARS_EVE, missing_edge_days

MEMBER = MemberFacts(
    birth_date=date(1972, 2, 29),
    first_membership_start=date(2000, 1, 1),
    end_date=None,
    active=True,
    partial_taken=False,
    closed=False,
    jht_balance=5_000_000,
)

# Born 29 February 1972: 56 on 29 February 2028, which exists (a leap year 56 years on is a leap year).
LEAP_DAY_CHILD = [
    (NEW_YEARS_EVE, False),
    (FIRST, False),
    (date(2027, 3, 15), False),
    (date(2027, 3, 16), False),
    (date(2027, 3, 31), False),
    (date(2028, 2, 1), False),
    (date(2028, 2, 28), False),
    (LEAP_DAY, True),
    (date(2028, 3, 1), True),
]


def test_the_tables_cover_every_edge_day():
    assert missing_edge_days(day for day, _ in LEAP_DAY_CHILD) == set()


@pytest.mark.parametrize(("as_of", "eligible"), LEAP_DAY_CHILD, ids=[f"{d}" for d, _ in LEAP_DAY_CHILD])
def test_born_on_29_february_the_age_claim_opens_on_29_february_at_56(as_of, eligible):
    result = eligibility_check(facts=MEMBER, reason="age", as_of=as_of)
    assert (result.eligible, result.eligible_from) == (eligible, as_of if eligible else LEAP_DAY)


@pytest.mark.parametrize("day", EDGE_DAYS, ids=[f"{d}" for d in EDGE_DAYS])
def test_the_age_claim_opens_on_the_56th_birthday_not_the_day_before(day):
    born = day.replace(year=day.year - 56)  # the same calendar day; 29 Feb 2028 -> 29 Feb 1972
    facts = replace(MEMBER, birth_date=born)
    on_the_day = eligibility_check(facts=facts, reason="age", as_of=day)
    the_day_before = eligibility_check(facts=facts, reason="age", as_of=day - timedelta(days=1))
    assert (on_the_day.eligible, on_the_day.eligible_from) == (True, day)
    assert [c.code for c in the_day_before.conditions] == [Code.AGE_BELOW_MINIMUM]
    assert the_day_before.eligible_from == day


@pytest.mark.parametrize(("as_of", "codes"), [
    (date(2026, 2, 28), [Code.MEMBERSHIP_TOO_SHORT]),
    (date(2026, 3, 1), []),  # 2026 has no 29 February: ten years are complete when February is
])
def test_ten_years_of_membership_from_29_february_are_complete_on_1_march(as_of, codes):
    facts = replace(MEMBER, first_membership_start=date(2016, 2, 29))
    result = eligibility_check(facts=facts, reason="partial_10", as_of=as_of)
    assert ([c.code for c in result.conditions], result.eligible_from) == (codes, date(2026, 3, 1))
