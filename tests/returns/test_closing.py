"""A full claim pays the returns of the years it closes the account in (issue 16 point 3):
returns.returns_due_at_closing, and crediting the year later settling a positive difference.

Every expected amount is computed here from month-end balances listed by hand, in Fraction
arithmetic rounded half up once; never by the code under test."""

import uuid
from datetime import date
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saldo.core import bulk
from saldo.ledger.models import Account, Entry, EntryKind
from saldo.ledger.services import Line, posting_create
from saldo.returns.services import ClosingReturns, rate_declare, returns_credit, returns_due_at_closing
from saldo.returns.strategies import DEFAULT_STRATEGY, STRATEGIES, LedgerEntry
from tests.factories import account_of, make_member, post_entries


def returns_on(month_end_balances: list[int], rate_percent: str) -> int:
    """round_half_up(r × (B_1 + … + B_k) / 12) for the month-end balances given (k ≤ 12)."""
    exact = Fraction(rate_percent) / 100 * sum(month_end_balances) / 12
    return int(exact + Fraction(1, 2))


def claim_pay(account: Account, *, on: date, key: str) -> list[ClosingReturns]:
    """Pay `account` out in full on `on` as a full claim does: in the claim's one posting, the
    returns due, then the whole balance withdrawn."""
    due = returns_due_at_closing(account_id=account.id, on=on)
    account.refresh_from_db()
    lines = [Line(account.id, EntryKind.RETURNS, r.amount, r.value_date) for r in due]
    lines.append(Line(account.id, EntryKind.WITHDRAWAL, -(account.balance + sum(r.amount for r in due)), on))
    posting_create(key=key, lines=lines)
    return due


def returns_entries(account: Account) -> list[tuple[date, int, str]]:
    rows = Entry.objects.filter(account=account, kind=EntryKind.RETURNS).order_by("value_date", "id")
    return list(rows.values_list("value_date", "amount", "posting__key"))


def balance_of(account: Account) -> int:
    account.refresh_from_db()
    return account.balance


def verify_ledger() -> str:
    out = StringIO()
    call_command("verify_ledger", stdout=out, stderr=StringIO())  # CommandError on any mismatch
    return out.getvalue().strip()


LEDGER_CLEAN = "Buku besar cocok: setiap saldo sama dengan jumlah entrinya."


# --- paid in May, the year's rate not declared yet --------------------------------------------

# Iuran at the ends of January-April 2024, and some valued 10 May: in the payment month, whose
# month-end is zero (the claim empties the account), so it earns nothing.
MAY_IURAN = [
    (date(2024, 1, 31), 1_234_567),
    (date(2024, 2, 29), 1_234_567),
    (date(2024, 3, 31), 1_234_567),
    (date(2024, 4, 30), 2_000_003),
    (date(2024, 5, 10), 500_000),
]
MAY_BALANCES = [1_234_567, 2_469_134, 3_703_701, 5_703_704]  # ends of Jan, Feb, Mar, Apr
MAY_20 = date(2024, 5, 20)


@pytest.fixture
def paid_in_may():
    """An account paid out on 20 May 2024, when 2023's rate (5.8%) is the last declared."""
    account = account_of(make_member(start_date=date(2024, 1, 1)))
    post_entries(account, MAY_IURAN, key="iuran-2024")
    rate_declare(year=2023, rate_percent="5.8")
    return account


def test_a_payment_in_may_pays_january_to_april_at_the_last_declared_rate(paid_in_may):
    provisional = returns_on(MAY_BALANCES, "5.8")
    assert provisional == 63_370
    assert returns_due_at_closing(account_id=paid_in_may.id, on=MAY_20) == [
        ClosingReturns(
            year=2024,
            rate_percent=Decimal("5.8"),
            rate_year=2023,
            amount=provisional,
            value_date=MAY_20,
            provisional=True,
        )
    ]


def test_the_claim_leaves_the_account_at_zero_and_the_ledger_clean(paid_in_may):
    claim_pay(paid_in_may, on=MAY_20, key="claim:1")
    assert balance_of(paid_in_may) == 0
    assert returns_entries(paid_in_may) == [(MAY_20, returns_on(MAY_BALANCES, "5.8"), "claim:1")]
    assert verify_ledger() == LEDGER_CLEAN


@pytest.fixture
def normal():
    """An account no claim touches: 1,000,000 all through 2024."""
    account = account_of(make_member(start_date=date(2023, 1, 1)))
    post_entries(account, [(date(2023, 12, 31), 1_000_000)], key="opening-normal")
    return account


@pytest.mark.parametrize("rate", ["6.3", "7.25"])
def test_crediting_the_year_at_a_higher_rate_posts_the_difference(paid_in_may, normal, rate):
    claim_pay(paid_in_may, on=MAY_20, key="claim:1")
    rate_declare(year=2024, rate_percent=rate)
    result = returns_credit(year=2024, as_of=date(2025, 1, 2))
    # At crediting, the month-ends from May on are zero: the claim emptied the account.
    difference = returns_on(MAY_BALANCES + [0] * 8, rate) - returns_on(MAY_BALANCES, "5.8")
    normal_returns = returns_on([1_000_000] * 12, rate)
    assert difference > 0
    assert returns_entries(paid_in_may) == [
        (MAY_20, returns_on(MAY_BALANCES, "5.8"), "claim:1"),
        (date(2024, 12, 31), difference, "returns:2024"),
    ]
    assert balance_of(paid_in_may) == difference
    assert returns_entries(normal) == [(date(2024, 12, 31), normal_returns, "returns:2024")]
    assert (result.accounts_credited, result.total) == (2, difference + normal_returns)
    assert verify_ledger() == LEDGER_CLEAN


@pytest.mark.parametrize("rate", ["5.8", "5.7999", "4"], ids=["the provisional rate", "lower", "much lower"])
def test_crediting_the_year_at_the_same_or_a_lower_rate_posts_nothing_to_the_closed_account(paid_in_may, normal, rate):
    claim_pay(paid_in_may, on=MAY_20, key="claim:1")
    rate_declare(year=2024, rate_percent=rate)
    result = returns_credit(year=2024, as_of=date(2025, 1, 2))
    # Nothing clawed back either: the member keeps what the provisional rate paid.
    assert returns_entries(paid_in_may) == [(MAY_20, returns_on(MAY_BALANCES, "5.8"), "claim:1")]
    assert balance_of(paid_in_may) == 0
    assert (result.accounts_credited, result.total) == (1, returns_on([1_000_000] * 12, rate))
    assert verify_ledger() == LEDGER_CLEAN


def test_the_years_own_rate_is_used_once_declared(paid_in_may):
    rate_declare(year=2024, rate_percent="6.06")
    assert returns_due_at_closing(account_id=paid_in_may.id, on=MAY_20) == [
        ClosingReturns(2024, Decimal("6.06"), 2024, returns_on(MAY_BALANCES, "6.06"), MAY_20, provisional=False)
    ]


def test_a_second_full_claim_the_same_year_pays_only_what_the_first_did_not(paid_in_may):
    # A top-up: iuran for March arrives after the May claim; a second claim in October closes
    # the account again and pays March-September on it, not January-April a second time.
    rate_declare(year=2024, rate_percent="6")
    first = claim_pay(paid_in_may, on=MAY_20, key="claim:1")
    post_entries(paid_in_may, [(date(2024, 3, 31), 800_000)], key="late-iuran-2024-03")
    # Month-ends Jan-Sep as the ledger has them now; 10 May's 500,000 was paid out 20 May.
    first_returns = returns_on(MAY_BALANCES, "6")
    balances = [1_234_567, 2_469_134, 4_503_701, 6_503_704] + [800_000] * 5
    assert [r.amount for r in first] == [first_returns]
    assert returns_due_at_closing(account_id=paid_in_may.id, on=date(2024, 10, 5)) == [
        ClosingReturns(2024, Decimal("6"), 2024, returns_on(balances, "6") - first_returns, date(2024, 10, 5), False)
    ]
    # That is: 800,000 at 6% for the 7 month-ends March-September.
    assert returns_on(balances, "6") - first_returns == 28_000


# --- paid in January, before the previous year was credited ------------------------------------

# 412,345 of iuran valued the 28th of every month of 2023: B_m = 412,345 × m.
JAN_BALANCES = [412_345, 824_690, 1_237_035, 1_649_380, 2_061_725, 2_474_070, 2_886_415, 3_298_760, 3_711_105,
                4_123_450, 4_535_795, 4_948_140]  # fmt: skip
JAN_15 = date(2024, 1, 15)


@pytest.fixture
def paid_in_january():
    account = account_of(make_member(start_date=date(2023, 1, 1)))
    post_entries(account, [(date(2023, m, 28), 412_345) for m in range(1, 13)], key="iuran-2023")
    return account


def test_a_payment_in_january_pays_the_whole_previous_year_and_no_month_of_its_own(paid_in_january):
    rate_declare(year=2023, rate_percent="6")
    assert returns_due_at_closing(account_id=paid_in_january.id, on=JAN_15) == [
        ClosingReturns(2023, Decimal("6"), 2023, returns_on(JAN_BALANCES, "6"), date(2023, 12, 31), False)
    ]
    assert returns_on(JAN_BALANCES, "6") == 160_815


def test_crediting_the_previous_year_after_the_january_payment_posts_nothing_to_that_account(paid_in_january, normal):
    rate_declare(year=2023, rate_percent="6")
    claim_pay(paid_in_january, on=JAN_15, key="claim:1")
    result = returns_credit(year=2023, as_of=date(2024, 2, 1))
    assert returns_entries(paid_in_january) == [(date(2023, 12, 31), 160_815, "claim:1")]
    assert balance_of(paid_in_january) == 0
    # The normal account's 1,000,000 was valued 31 Dec 2023: one month-end of 2023.
    assert (result.accounts_credited, result.total) == (1, returns_on([0] * 11 + [1_000_000], "6"))
    rate_declare(year=2024, rate_percent="6")
    returns_credit(year=2024, as_of=date(2025, 1, 2))
    assert balance_of(paid_in_january) == 0
    assert verify_ledger() == LEDGER_CLEAN


def test_before_the_previous_years_rate_is_declared_the_last_one_is_used_and_settled_later(paid_in_january):
    rate_declare(year=2022, rate_percent="5.38")
    provisional = returns_on(JAN_BALANCES, "5.38")
    assert claim_pay(paid_in_january, on=JAN_15, key="claim:1") == [
        ClosingReturns(2023, Decimal("5.38"), 2022, provisional, date(2023, 12, 31), True)
    ]
    # The claim's returns valued 31 Dec 2023 do not make 2023 credited: its rate may still be set.
    rate_declare(year=2023, rate_percent="6")
    returns_credit(year=2023, as_of=date(2024, 2, 1))
    # The provisional returns are 2023's own: they count in none of 2023's month-ends.
    difference = returns_on(JAN_BALANCES, "6") - provisional
    assert difference == 160_815 - 144_197
    assert returns_entries(paid_in_january) == [
        (date(2023, 12, 31), provisional, "claim:1"),
        (date(2023, 12, 31), difference, "returns:2023"),
    ]
    assert balance_of(paid_in_january) == difference
    assert verify_ledger() == LEDGER_CLEAN


def test_a_year_already_credited_is_not_paid_again(paid_in_january):
    rate_declare(year=2023, rate_percent="6")
    returns_credit(year=2023, as_of=date(2024, 1, 1))
    assert returns_due_at_closing(account_id=paid_in_january.id, on=JAN_15) == []


def test_uncredited_years_compound_into_the_next():
    # 2023 and 2024 not credited when the account is paid out on 10 March 2025; only 2023's
    # rate declared: 2024's and 2025's returns are at it, provisionally.
    account = account_of(make_member(start_date=date(2023, 1, 1)))
    post_entries(account, [(date(2023, 1, 1), 9_876_543)], key="opening")
    rate_declare(year=2023, rate_percent="6")
    r2023 = returns_on([9_876_543] * 12, "6")
    r2024 = returns_on([9_876_543 + r2023] * 12, "6")  # 2023's returns count from 31 Dec 2023
    r2025 = returns_on([9_876_543 + r2023 + r2024] * 2, "6")  # January and February
    assert (r2023, r2024, r2025) == (592_593, 628_148, 110_973)
    assert returns_due_at_closing(account_id=account.id, on=date(2025, 3, 10)) == [
        ClosingReturns(2023, Decimal("6"), 2023, r2023, date(2023, 12, 31), False),
        ClosingReturns(2024, Decimal("6"), 2023, r2024, date(2024, 12, 31), True),
        ClosingReturns(2025, Decimal("6"), 2023, r2025, date(2025, 3, 10), True),
    ]


def test_a_year_with_no_rate_declared_up_to_it_is_left_for_crediting():
    # The shipped rates start in 2016.
    account = account_of(make_member(start_date=date(2015, 1, 1)))
    post_entries(account, [(date(2015, 1, 31), 5_000_000)], key="iuran-2015")
    assert returns_due_at_closing(account_id=account.id, on=date(2015, 6, 10)) == []


def test_an_account_with_no_entries_is_due_nothing():
    account = account_of(make_member())
    assert returns_due_at_closing(account_id=account.id, on=MAY_20) == []


# --- paid on 31 December -----------------------------------------------------------------------

# 3,000,000 valued end of March, 1,500,001 end of August; iuran valued 31 Dec itself counts in
# no month-end (December's end is zero: the account is emptied that day).
DEC_IURAN = [(date(2024, 3, 31), 3_000_000), (date(2024, 8, 31), 1_500_001), (date(2024, 12, 31), 700_000)]
DEC_BALANCES = [0, 0] + [3_000_000] * 5 + [4_500_001] * 4  # ends of January-November
DEC_31 = date(2024, 12, 31)


@pytest.fixture
def paid_on_new_years_eve():
    account = account_of(make_member(start_date=date(2024, 1, 1)))
    post_entries(account, DEC_IURAN, key="iuran-2024")
    return account


def test_a_payment_on_31_december_pays_january_to_november_valued_that_day(paid_on_new_years_eve):
    rate_declare(year=2024, rate_percent="6.06")
    assert returns_due_at_closing(account_id=paid_on_new_years_eve.id, on=DEC_31) == [
        ClosingReturns(2024, Decimal("6.06"), 2024, returns_on(DEC_BALANCES, "6.06"), DEC_31, False)
    ]


def test_crediting_after_a_31_december_payment_at_the_same_rate_posts_nothing(paid_on_new_years_eve, normal):
    rate_declare(year=2024, rate_percent="6.06")
    claim_pay(paid_on_new_years_eve, on=DEC_31, key="claim:1")
    result = returns_credit(year=2024, as_of=date(2025, 1, 1))
    assert returns_entries(paid_on_new_years_eve) == [(DEC_31, returns_on(DEC_BALANCES, "6.06"), "claim:1")]
    assert (result.accounts_credited, result.total) == (1, returns_on([1_000_000] * 12, "6.06"))
    assert verify_ledger() == LEDGER_CLEAN


def test_crediting_after_a_31_december_payment_at_a_higher_rate_posts_the_difference(paid_on_new_years_eve):
    rate_declare(year=2023, rate_percent="5")
    provisional = claim_pay(paid_on_new_years_eve, on=DEC_31, key="claim:1")[0].amount
    rate_declare(year=2024, rate_percent="6.06")
    returns_credit(year=2024, as_of=date(2025, 1, 1))
    # December's end is zero: the returns valued 31 Dec that day's payment withdrew count with it.
    difference = returns_on(DEC_BALANCES + [0], "6.06") - returns_on(DEC_BALANCES, "5")
    assert provisional == returns_on(DEC_BALANCES, "5")
    assert returns_entries(paid_on_new_years_eve) == [
        (DEC_31, provisional, "claim:1"),
        (DEC_31, difference, "returns:2024"),
    ]
    assert balance_of(paid_on_new_years_eve) == difference
    assert verify_ledger() == LEDGER_CLEAN


# --- the strategy's Python twin against its SQL ------------------------------------------------

YEAR = 2023
credits = st.tuples(st.dates(date(2022, 1, 1), date(2024, 6, 30)), st.integers(1, 10**9))
# A claim-like posting: returns and a withdrawal on one day (often 31 Dec 2023), or returns alone.
paid_days = st.one_of(st.just(date(YEAR, 12, 31)), st.dates(date(2022, 6, 1), date(2024, 6, 30)))
payouts = st.tuples(paid_days, st.integers(1, 10**6), st.integers(0, 10**6))  # day, returns, withdrawal
accounts = st.tuples(st.lists(credits, min_size=1, max_size=12), st.lists(payouts, max_size=3))


class Rollback(Exception):
    pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(accounts, min_size=1, max_size=3))
def test_the_python_twin_of_the_weighted_sum_equals_the_sql(histories):
    method = STRATEGIES[DEFAULT_STRATEGY]
    try:
        with transaction.atomic():
            expected = {}
            for credit_lines, payout_lines in histories:
                account = account_of(make_member())
                prefix = uuid.uuid4().hex
                post_entries(account, credit_lines, key=f"{prefix}:iuran")
                for n, (day, returns, withdrawal) in enumerate(payout_lines):
                    lines = [Line(account.id, EntryKind.RETURNS, returns, day)]
                    if withdrawal:  # at most the returns beside it: the balance stays >= 0
                        lines.append(Line(account.id, EntryKind.WITHDRAWAL, -min(withdrawal, returns), day))
                    posting_create(key=f"{prefix}:claim:{n}", lines=lines)
                rows = Entry.objects.filter(account=account).values_list("value_date", "amount", "kind", "posting_id")
                expected[account.id] = method.weighted_sum([LedgerEntry(*row) for row in rows], year=YEAR)
            sql, params = method.weighted_sums_sql(year=YEAR)
            ids = ", ".join(str(i) for i in expected)
            rows = bulk.fetch_all(f"SELECT account_id, weighted FROM ({sql}) w WHERE account_id IN ({ids})", params)
            got = dict(rows)
            # An account with nothing valued up to the year's end has no row: W = 0.
            assert {i: int(got.get(i, 0)) for i in expected} == expected
            raise Rollback
    except Rollback:
        pass


def test_the_twin_counts_returns_of_a_payment_on_31_december_but_not_a_years_own():
    dec31 = date(YEAR, 12, 31)
    method = STRATEGIES[DEFAULT_STRATEGY]
    opening = LedgerEntry(date(YEAR - 1, 12, 31), 1_000, EntryKind.EMPLOYER_CONTRIBUTION, 1)
    own = LedgerEntry(dec31, 50, EntryKind.RETURNS, 2)
    paid_out_returns = LedgerEntry(dec31, 50, EntryKind.RETURNS, 3)
    withdrawal = LedgerEntry(dec31, -1_050, EntryKind.WITHDRAWAL, 3)
    assert method.weighted_sum([opening, own], year=YEAR) == 12 * 1_000
    assert method.weighted_sum([opening, paid_out_returns, withdrawal], year=YEAR) == 11 * 1_000
    assert method.weighted_sum([opening], year=YEAR, months=4) == 4 * 1_000
