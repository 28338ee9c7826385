"""The eligibility engine, as a table: every rule of shared/domain.md §5 with a passing and a failing case."""

from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation

from saldo.claims.eligibility import Code, MemberFacts, eligibility_check, months_after
from saldo.claims.rules import RULES, Reason, UnknownReason, jp_lump_sum_due, jp_pension_age, rule_get

# A member who is still working: aktif, no end date, 15 years of membership, some balance.
WORKING = MemberFacts(
    birth_date=date(1980, 5, 10),
    first_membership_start=date(2010, 1, 1),
    end_date=None,
    active=True,
    partial_taken=False,
    closed=False,
    jht_balance=5_000_000,
)
# The same member after the employer reported them leaving on 15 January 2025.
LEFT = replace(WORKING, end_date=date(2025, 1, 15), active=False)

A = Reason
CASES = [
    # label, reason, facts, as_of, event_date, unmet codes, eligible_from
    ("age: 56th birthday", A.AGE, replace(WORKING, birth_date=date(1969, 5, 10)), date(2025, 5, 10), None, [],
     date(2025, 5, 10)),
    ("age: the day before", A.AGE, replace(WORKING, birth_date=date(1969, 5, 10)), date(2025, 5, 9), None,
     [Code.AGE_BELOW_MINIMUM], date(2025, 5, 10)),
    ("age: born 29 Feb, 56 on 29 Feb of a leap year", A.AGE, replace(WORKING, birth_date=date(1968, 2, 29)),
     date(2024, 2, 28), None, [Code.AGE_BELOW_MINIMUM], date(2024, 2, 29)),
    ("age: aktif does not matter", A.AGE, replace(WORKING, birth_date=date(1960, 1, 1)), date(2025, 1, 1), None,
     [], date(2025, 1, 1)),
    ("resignation: one month after leaving", A.RESIGNATION, LEFT, date(2025, 2, 15), None, [], date(2025, 2, 15)),
    ("resignation: within the month", A.RESIGNATION, LEFT, date(2025, 2, 14), None, [Code.WAITING_PERIOD],
     date(2025, 2, 15)),
    ("resignation: left 31 Jan, opens 28 Feb", A.RESIGNATION, replace(LEFT, end_date=date(2025, 1, 31)),
     date(2025, 2, 27), None, [Code.WAITING_PERIOD], date(2025, 2, 28)),
    ("resignation: employer never reported the leaver", A.RESIGNATION, WORKING, date(2025, 6, 1), None,
     [Code.NOT_LEFT_EMPLOYER, Code.MEMBERSHIP_ACTIVE], None),
    ("resignation: leaving date still ahead", A.RESIGNATION, replace(WORKING, end_date=date(2025, 3, 31)),
     date(2025, 3, 1), None, [Code.NOT_LEFT_EMPLOYER, Code.MEMBERSHIP_ACTIVE], date(2025, 4, 30)),
    ("resignation: KPJ aktif again", A.RESIGNATION, replace(LEFT, active=True), date(2025, 6, 1), None,
     [Code.MEMBERSHIP_ACTIVE], None),
    ("dismissal: one month after the PHK", A.DISMISSAL, LEFT, date(2025, 2, 15), None, [], date(2025, 2, 15)),
    ("dismissal: within the month", A.DISMISSAL, LEFT, date(2025, 1, 20), None, [Code.WAITING_PERIOD],
     date(2025, 2, 15)),
    ("dismissal: not reported", A.DISMISSAL, WORKING, date(2025, 1, 20), None,
     [Code.NOT_LEFT_EMPLOYER, Code.MEMBERSHIP_ACTIVE], None),
    ("contract end: on the end date", A.CONTRACT_END, LEFT, date(2025, 1, 15), None, [], date(2025, 1, 15)),
    ("contract end: before it", A.CONTRACT_END, replace(WORKING, end_date=date(2025, 1, 15)), date(2025, 1, 14),
     None, [Code.NOT_LEFT_EMPLOYER, Code.MEMBERSHIP_ACTIVE], date(2025, 1, 15)),
    ("leaving Indonesia: on departure, non-aktif", A.LEAVING_INDONESIA, replace(WORKING, active=False),
     date(2025, 3, 1), date(2025, 3, 1), [], date(2025, 3, 1)),
    ("leaving Indonesia: no departure date", A.LEAVING_INDONESIA, replace(WORKING, active=False), date(2025, 3, 1),
     None, [Code.EVENT_DATE_MISSING], None),
    ("leaving Indonesia: departure ahead", A.LEAVING_INDONESIA, replace(WORKING, active=False), date(2025, 3, 1),
     date(2025, 4, 1), [Code.EVENT_DATE_IN_FUTURE], date(2025, 4, 1)),
    ("leaving Indonesia: still aktif", A.LEAVING_INDONESIA, WORKING, date(2025, 3, 1), date(2025, 2, 1),
     [Code.MEMBERSHIP_ACTIVE], None),
    ("disability: on the doctor's date, aktif or not", A.DISABILITY, WORKING, date(2025, 3, 1), date(2025, 2, 1),
     [], date(2025, 3, 1)),
    ("disability: no date", A.DISABILITY, WORKING, date(2025, 3, 1), None, [Code.EVENT_DATE_MISSING], None),
    ("death: heirs after the death", A.DEATH, WORKING, date(2025, 3, 1), date(2025, 2, 20), [], date(2025, 3, 1)),
    ("death: date in the future", A.DEATH, WORKING, date(2025, 3, 1), date(2025, 3, 2), [Code.EVENT_DATE_IN_FUTURE],
     date(2025, 3, 2)),
    ("partial 10%: ten years of membership", A.PARTIAL_10, WORKING, date(2020, 1, 1), None, [], date(2020, 1, 1)),
    ("partial 10%: a day short", A.PARTIAL_10, WORKING, date(2019, 12, 31), None, [Code.MEMBERSHIP_TOO_SHORT],
     date(2020, 1, 1)),
    ("partial 10%: years count from the first KPJ", A.PARTIAL_10,
     replace(WORKING, first_membership_start=date(2016, 7, 1)), date(2025, 1, 1), None,
     [Code.MEMBERSHIP_TOO_SHORT], date(2026, 7, 1)),
    ("partial 10%: once per person", A.PARTIAL_10, replace(WORKING, partial_taken=True), date(2025, 1, 1), None,
     [Code.PARTIAL_ALREADY_TAKEN], None),
    ("partial 30%: ten years of membership", A.PARTIAL_30, WORKING, date(2025, 1, 1), None, [], date(2025, 1, 1)),
    ("partial 30%: after a 10% one", A.PARTIAL_30, replace(WORKING, partial_taken=True), date(2025, 1, 1), None,
     [Code.PARTIAL_ALREADY_TAKEN], None),
    ("partial 30%: too short and taken", A.PARTIAL_30,
     replace(WORKING, first_membership_start=date(2020, 1, 1), partial_taken=True), date(2025, 1, 1), None,
     [Code.MEMBERSHIP_TOO_SHORT, Code.PARTIAL_ALREADY_TAKEN], None),
    ("any reason: account already paid out", A.RESIGNATION, replace(LEFT, closed=True, jht_balance=0),
     date(2025, 6, 1), None, [Code.ACCOUNT_CLOSED], None),
    ("any reason: nothing to claim", A.AGE, replace(WORKING, birth_date=date(1960, 1, 1), jht_balance=0),
     date(2025, 6, 1), None, [Code.BALANCE_EMPTY], None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("reason", "facts", "as_of", "event_date", "codes", "eligible_from"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_eligibility(reason, facts, as_of, event_date, codes, eligible_from):
    result = eligibility_check(facts=facts, reason=reason, as_of=as_of, event_date=event_date)
    assert [c.code for c in result.conditions] == codes
    assert result.eligible is (codes == [])
    assert result.eligible_from == eligible_from


def test_every_reason_has_a_passing_and_a_failing_case():
    passing = {case[1] for case in CASES if not case[5]}
    failing = {case[1] for case in CASES if case[5]}
    assert passing == set(RULES) and failing == set(RULES)


@pytest.mark.parametrize(
    ("reason", "facts", "as_of", "event_date"),
    [case[1:5] for case in CASES if case[6] and case[5] and Code.MEMBERSHIP_ACTIVE not in case[5]],
)
def test_on_the_earliest_date_the_claim_opens(reason, facts, as_of, event_date):
    """Conditions met by time alone are met on `eligible_from` (the facts otherwise unchanged)."""
    first = eligibility_check(facts=facts, reason=reason, as_of=as_of, event_date=event_date)
    later = eligibility_check(facts=facts, reason=reason, as_of=first.eligible_from, event_date=event_date)
    assert later.eligible


def test_every_unmet_condition_says_why_in_indonesian_and_in_english():
    facts = replace(WORKING, birth_date=date(1969, 5, 10))
    condition = eligibility_check(facts=facts, reason="age", as_of=date(2025, 1, 1)).conditions[0]
    assert condition.message == "usia 56 tahun baru tercapai pada 10-05-2025"
    with translation.override("en"):
        condition = eligibility_check(facts=facts, reason="age", as_of=date(2025, 1, 1)).conditions[0]
    assert condition.message == "the age of 56 is reached on 10-05-2025"


def test_the_result_as_json():
    result = eligibility_check(facts=LEFT, reason="resignation", as_of=date(2025, 2, 1))
    assert result.as_json() == {
        "reason": "resignation",
        "as_of": "2025-02-01",
        "eligible": False,
        "eligible_from": "2025-02-15",
        "conditions": [
            {
                "code": "waiting_period",
                "message": "masa tunggu 1 bulan setelah berhenti bekerja berakhir pada 15-02-2025",
                "earliest": "2025-02-15",
            }
        ],
    }


@pytest.mark.parametrize("reason", ["pension", "", "AGE", "partial_20"])
def test_a_reason_not_in_the_table_is_refused(reason):
    with pytest.raises(UnknownReason) as raised:
        eligibility_check(facts=WORKING, reason=reason, as_of=date(2025, 1, 1))
    assert raised.value.code == "reason_unknown"
    assert raised.value.errors[0].field == "reason"


def test_ages_and_waiting_periods_live_in_the_one_table():
    assert {r: (rule.min_age, rule.waiting_months, rule.min_membership_years, rule.percent) for r, rule in
            RULES.items()} == {
        A.AGE: (56, 0, 0, 100),
        A.RESIGNATION: (None, 1, 0, 100),
        A.DISMISSAL: (None, 1, 0, 100),
        A.CONTRACT_END: (None, 0, 0, 100),
        A.LEAVING_INDONESIA: (None, 0, 0, 100),
        A.DISABILITY: (None, 0, 0, 100),
        A.DEATH: (None, 0, 0, 100),
        A.PARTIAL_10: (None, 0, 10, 10),
        A.PARTIAL_30: (None, 0, 10, 30),
    }  # fmt: skip
    assert rule_get("death").by_heirs and not rule_get("death").self_service


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 15), 1, date(2025, 2, 15)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 12, 31), 1, date(2025, 1, 31)),
        (date(2025, 3, 1), 0, date(2025, 3, 1)),
    ],
)
def test_a_month_after(day, months, expected):
    assert months_after(day, months) == expected


@pytest.mark.parametrize(
    ("on", "age"),
    [(date(2018, 12, 31), 56), (date(2019, 1, 1), 57), (date(2021, 12, 31), 57), (date(2022, 1, 1), 58),
     (date(2025, 6, 1), 59), (date(2043, 1, 1), 65), (date(2060, 1, 1), 65)],
)  # fmt: skip
def test_the_jp_pension_age_rises_a_year_every_three_years(on, age):
    assert jp_pension_age(on) == age


@pytest.mark.parametrize(
    ("reason", "birth_date", "months", "on", "due"),
    [
        ("age", date(1966, 1, 1), 120, date(2025, 6, 1), True),  # 59 in 2025, 10 years of JP
        ("age", date(1967, 1, 1), 120, date(2025, 6, 1), False),  # 58: below the JP pension age
        ("age", date(1966, 1, 1), 180, date(2025, 6, 1), False),  # 15 years: a pension, not a lump sum
        ("age", date(1966, 1, 1), 0, date(2025, 6, 1), False),  # no JP iuran at all
        ("resignation", date(1966, 1, 1), 120, date(2025, 6, 1), False),  # JP stays until pension age
    ],
)
def test_the_jp_lump_sum(reason, birth_date, months, on, due):
    assert jp_lump_sum_due(reason=reason, birth_date=birth_date, jp_iuran_months=months, on=on) is due
