"""Yearly returns (hasil pengembangan), domain.md §3: r × average month-end balance, rounded once.

Expected amounts come from an independent oracle in exact Fraction arithmetic."""

import uuid
from datetime import date
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saldo.core.errors import ConfigurationMissing, SaldoError, ValidationError
from saldo.core.periods import month_end
from saldo.ledger.checks import ledger_mismatches
from saldo.ledger.models import Account, Entry, EntryKind, Posting, Programme
from saldo.returns.models import DeclaredRate
from saldo.returns.services import CreditResult, rate_declare, returns_credit
from tests.factories import account_of, make_member, post_contribution, post_entries

YEAR = 2023  # no rate ships for it; each test declares its own
AFTER = date(2024, 1, 1)


def month_ends(year: int) -> list[date]:
    return [month_end(date(year, m, 1)) for m in range(1, 13)]


def oracle(entries: list[tuple[date, int, str]], *, year: int, rate_percent: str) -> int:
    """round_half_up(r × (B_1 + … + B_12) / 12), B_m the balance at the end of month m of `year`
    counting every entry valued on or before that day except the year's own returns."""
    own_returns = date(year, 12, 31)
    month_end_balances = [
        sum(a for vd, a, kind in entries if vd <= day and not (kind == "returns" and vd == own_returns))
        for day in month_ends(year)
    ]
    exact = Fraction(rate_percent) / 100 * sum(month_end_balances) / 12
    return int(exact + Fraction(1, 2))


def ledger_of(account: Account) -> list[tuple[date, int, str]]:
    return list(Entry.objects.filter(account=account).values_list("value_date", "amount", "kind"))


def returns_of(account: Account) -> dict[int, int]:
    rows = Entry.objects.filter(account=account, kind="returns").values_list("value_date", "amount")
    return {vd.year: amount for vd, amount in rows}


@pytest.fixture
def jht():
    return account_of(make_member(start_date=date(2020, 1, 1)))


# --- the domain's worked example ---------------------------------------------------------------


def test_the_worked_example_earns_39000(jht):
    post_entries(jht, [(day, 100_000) for day in month_ends(YEAR)], key="iuran-2023")
    rate_declare(year=YEAR, rate_percent="6")
    assert oracle(ledger_of(jht), year=YEAR, rate_percent="6") == 39_000
    result = returns_credit(year=YEAR, as_of=AFTER)
    assert result == CreditResult(
        year=YEAR, rate_percent=Decimal("6"), accounts_credited=1, total=39_000, posting_key="returns:2023"
    )
    assert list(Entry.objects.filter(kind="returns").values_list("account_id", "amount", "value_date")) == [
        (jht.id, 39_000, date(2023, 12, 31))
    ]
    jht.refresh_from_db()
    assert jht.balance == 1_239_000
    assert ledger_mismatches() == []


def test_a_second_run_for_the_same_year_credits_nothing(jht):
    post_entries(jht, [(day, 100_000) for day in month_ends(YEAR)], key="iuran-2023")
    rate_declare(year=YEAR, rate_percent="6")
    returns_credit(year=YEAR, as_of=AFTER)
    entries, postings = Entry.objects.count(), Posting.objects.count()
    assert returns_credit(year=YEAR, as_of=date(2024, 6, 1)) == CreditResult(
        year=YEAR,
        rate_percent=Decimal("6"),
        accounts_credited=0,
        total=0,
        posting_key="returns:2023",
        already_credited=True,
    )
    assert (Entry.objects.count(), Posting.objects.count()) == (entries, postings)
    assert returns_of(jht) == {2023: 39_000}


# --- refusals ----------------------------------------------------------------------------------


def test_a_year_without_a_declared_rate_is_refused_with_a_clear_message(jht):
    post_entries(jht, [(date(2022, 1, 31), 100_000)], key="iuran")
    with pytest.raises(ConfigurationMissing) as excinfo:
        returns_credit(year=2022, as_of=date(2023, 1, 1))
    assert excinfo.value.message == (
        "belum ada tingkat hasil pengembangan yang dideklarasikan untuk 2022; "
        "jalankan dulu: saldo declare-rate --year 2022 --rate <persen>"
    )
    assert not Entry.objects.filter(kind="returns").exists()


@pytest.mark.parametrize("as_of", [date(2023, 6, 30), date(2023, 12, 30), date(2023, 12, 31)])
def test_a_year_that_is_not_over_is_refused(jht, as_of):
    post_entries(jht, [(date(2023, 1, 31), 100_000)], key="iuran")
    rate_declare(year=YEAR, rate_percent="6")
    with pytest.raises(SaldoError) as excinfo:
        returns_credit(year=YEAR, as_of=as_of)
    assert excinfo.value.code == "year_not_over"
    assert not Entry.objects.filter(kind="returns").exists()


def test_a_year_may_be_credited_from_the_first_of_january_after_it(jht):
    post_entries(jht, [(date(2023, 1, 31), 100_000)], key="iuran")
    rate_declare(year=YEAR, rate_percent="6")
    assert returns_credit(year=YEAR, as_of=date(2024, 1, 1)).accounts_credited == 1


# --- what counts -------------------------------------------------------------------------------


def test_a_balance_from_earlier_years_counts_all_twelve_months(jht):
    post_entries(jht, [(date(2021, 6, 30), 1_000_000)], key="old")
    rate_declare(year=YEAR, rate_percent="6")
    returns_credit(year=YEAR, as_of=AFTER)
    assert returns_of(jht) == {2023: 60_000}


def test_an_entry_counts_from_the_end_of_its_month_to_december(jht):
    # Valued in October: counts in the month-ends of Oct, Nov, Dec -> 3/12 of the year.
    post_entries(jht, [(date(2023, 10, 31), 1_200_000)], key="oct")
    rate_declare(year=YEAR, rate_percent="6")
    returns_credit(year=YEAR, as_of=AFTER)
    assert returns_of(jht) == {2023: 18_000}


def test_an_entry_valued_on_the_first_of_a_month_counts_that_month(jht):
    post_entries(jht, [(date(2023, 12, 1), 1_200_000)], key="dec")
    rate_declare(year=YEAR, rate_percent="6")
    returns_credit(year=YEAR, as_of=AFTER)
    assert returns_of(jht) == {2023: 6_000}


def test_entries_valued_after_the_year_do_not_count(jht):
    post_entries(jht, [(date(2023, 12, 31), 1_200_000), (date(2024, 1, 1), 50_000_000)], key="iuran")
    rate_declare(year=YEAR, rate_percent="6")
    returns_credit(year=YEAR, as_of=date(2024, 2, 1))
    assert returns_of(jht) == {2023: 6_000}


def test_withdrawals_lower_the_month_end_balances_from_their_month(jht):
    post_entries(jht, [(date(2022, 12, 31), 2_400_000)], key="opening")
    post_entries(jht, [(date(2023, 7, 15), -1_200_000)], key="claim", kind=EntryKind.WITHDRAWAL)
    rate_declare(year=YEAR, rate_percent="5")
    returns_credit(year=YEAR, as_of=AFTER)
    # 6 month-ends at 2.4M, 6 at 1.2M: average 1.8M, 5% -> 90,000.
    assert returns_of(jht) == {2023: 90_000}
    assert oracle(ledger_of(jht), year=YEAR, rate_percent="5") == 90_000


def test_the_amount_is_rounded_half_up_once(jht):
    other = account_of(make_member())
    # 100 for one month at 6%: 100 × 0.06 / 12 = 0.5 -> 1; 99 -> 0.495 -> 0.
    post_entries(jht, [(date(2023, 12, 31), 100)], key="a")
    post_entries(other, [(date(2023, 12, 31), 99)], key="b")
    rate_declare(year=YEAR, rate_percent="6")
    result = returns_credit(year=YEAR, as_of=AFTER)
    assert (result.accounts_credited, result.total) == (1, 1)
    assert (returns_of(jht), returns_of(other)) == ({2023: 1}, {})


def test_empty_accounts_get_no_returns_entry(jht):
    rate_declare(year=YEAR, rate_percent="6")
    assert returns_credit(year=YEAR, as_of=AFTER).accounts_credited == 0
    assert not Entry.objects.filter(kind="returns").exists()


def test_jp_accounts_are_credited_too():
    member = make_member(start_date=date(2023, 1, 1))
    for month in range(1, 13):
        post_contribution(member, f"2023-{month:02d}", 5_000_025)
    rate_declare(year=YEAR, rate_percent="5.59")
    result = returns_credit(year=YEAR, as_of=AFTER)
    jht, jp = account_of(member, Programme.JHT), account_of(member, Programme.JP)
    expected = {
        "JHT": oracle(ledger_of(jht), year=YEAR, rate_percent="5.59"),
        "JP": oracle(ledger_of(jp), year=YEAR, rate_percent="5.59"),
    }
    assert expected["JP"] > 0
    assert {"JHT": returns_of(jht)[2023], "JP": returns_of(jp)[2023]} == expected
    assert (result.accounts_credited, result.total) == (2, expected["JHT"] + expected["JP"])


def test_every_account_is_credited_in_one_posting():
    accounts = [account_of(make_member()) for _ in range(3)]
    for i, account in enumerate(accounts):
        post_entries(account, [(date(2022, 12, 31), 1_000_000 * (i + 1))], key=f"opening:{i}")
    rate_declare(year=YEAR, rate_percent="6")
    result = returns_credit(year=YEAR, as_of=AFTER)
    assert (result.accounts_credited, result.total) == (3, 60_000 + 120_000 + 180_000)
    keys = Entry.objects.filter(kind="returns").values_list("posting__key", flat=True)
    assert set(keys) == {"returns:2023"}


# --- later postings and later years ------------------------------------------------------------


def test_iuran_posted_after_the_year_was_credited_earns_nothing_for_that_year(jht):
    post_entries(jht, [(day, 100_000) for day in month_ends(YEAR)], key="iuran-2023")
    rate_declare(year=YEAR, rate_percent="6")
    returns_credit(year=YEAR, as_of=AFTER)
    post_entries(jht, [(date(2023, 3, 31), 500_000)], key="late-iuran-2023")
    assert returns_credit(year=YEAR, as_of=date(2024, 2, 1)).accounts_credited == 0
    assert returns_of(jht) == {2023: 39_000}


def test_an_account_funded_only_after_the_year_was_credited_gets_nothing_for_that_year(jht):
    other = account_of(make_member())
    post_entries(jht, [(day, 100_000) for day in month_ends(YEAR)], key="iuran-2023")
    rate_declare(year=YEAR, rate_percent="6")
    returns_credit(year=YEAR, as_of=AFTER)
    post_entries(other, [(date(2023, 3, 31), 500_000)], key="late-iuran-other-2023")
    assert returns_credit(year=YEAR, as_of=date(2024, 2, 1)).already_credited
    assert returns_of(other) == {}


def test_iuran_posted_late_counts_as_opening_balance_the_next_year(jht):
    post_entries(jht, [(day, 100_000) for day in month_ends(YEAR)], key="iuran-2023")
    rate_declare(year=YEAR, rate_percent="6")
    returns_credit(year=YEAR, as_of=AFTER)
    post_entries(jht, [(date(2023, 3, 31), 500_000)], key="late-iuran-2023")
    rate_declare(year=2024, rate_percent="5")
    returns_credit(year=2024, as_of=date(2025, 1, 1))
    # 2024: 1,200,000 + 39,000 + 500,000 all year at 5%.
    assert returns_of(jht) == {2023: 39_000, 2024: 86_950}


def test_returns_are_valued_31_december_and_compound_from_the_next_year(jht):
    post_entries(jht, [(day, 100_000) for day in month_ends(YEAR)], key="iuran-2023")
    rate_declare(year=YEAR, rate_percent="6")
    rate_declare(year=2024, rate_percent="6")
    returns_credit(year=YEAR, as_of=AFTER)
    returns_credit(year=2024, as_of=date(2025, 1, 1))
    assert returns_of(jht) == {2023: 39_000, 2024: 74_340}  # 6% of 1,239,000
    assert oracle(ledger_of(jht), year=2024, rate_percent="6") == 74_340
    jht.refresh_from_db()
    assert jht.balance == 1_200_000 + 39_000 + 74_340


def test_returns_continue_after_iuran_stop(jht):
    post_entries(jht, [(date(2020, 1, 31), 10_000_000)], key="iuran-2020")
    for year, rate in [(2021, "4"), (2022, "4.5"), (2023, "5")]:
        rate_declare(year=year, rate_percent=rate)
    for year in (2021, 2022, 2023):
        returns_credit(year=year, as_of=date(year + 1, 1, 1))
    # 2020's shipped rate (5.59%) was never applied: 2020 was not credited.
    assert returns_of(jht) == {2021: 400_000, 2022: 468_000, 2023: 543_400}


# --- the oracle against the ledger, for arbitrary histories ------------------------------------

amounts = st.integers(min_value=1, max_value=10**9)
value_dates = st.dates(min_value=date(2021, 1, 1), max_value=date(2024, 3, 31))
histories = st.lists(st.tuples(value_dates, amounts), min_size=1, max_size=20)
rates = st.decimals(min_value=0, max_value=Decimal("99.9999"), places=4)


class Rollback(Exception):
    pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories, rates)
def test_credited_returns_equal_exact_arithmetic_rounded_once(history, rate):
    try:
        with transaction.atomic():
            account = account_of(make_member())
            post_entries(account, history, key=f"h:{uuid.uuid4().hex}")
            rate_declare(year=YEAR, rate_percent=rate)
            returns_credit(year=YEAR, as_of=AFTER)
            expected = oracle(ledger_of(account), year=YEAR, rate_percent=str(rate))
            assert returns_of(account) == ({2023: expected} if expected else {})
            assert ledger_mismatches() == []
            raise Rollback
    except Rollback:
        pass


# --- declaring rates ---------------------------------------------------------------------------


def test_the_rates_the_fund_declared_ship_as_data():
    assert dict(DeclaredRate.objects.filter(year__lte=2020).values_list("year", "rate_percent")) == {
        2016: Decimal("7.19"),
        2017: Decimal("7.82"),
        2018: Decimal("6.26"),
        2019: Decimal("6.06"),
        2020: Decimal("5.59"),
    }


def test_a_rate_is_declared_in_percent_with_up_to_four_decimals():
    rate = rate_declare(year=YEAR, rate_percent="5.1234", note="ilustrasi")
    assert (rate.year, rate.rate_percent, rate.note) == (YEAR, Decimal("5.1234"), "ilustrasi")


def test_declaring_the_same_rate_again_changes_nothing():
    first = rate_declare(year=YEAR, rate_percent="6.06")
    assert rate_declare(year=YEAR, rate_percent=Decimal("6.0600")).pk == first.pk
    assert DeclaredRate.objects.filter(year=YEAR).count() == 1


def test_a_rate_may_be_corrected_while_the_year_is_not_credited():
    rate_declare(year=YEAR, rate_percent="6")
    rate_declare(year=YEAR, rate_percent="6.5")
    assert DeclaredRate.objects.get(year=YEAR).rate_percent == Decimal("6.5")


def test_a_credited_years_rate_cannot_be_changed(jht):
    post_entries(jht, [(date(2023, 1, 31), 100_000)], key="iuran")
    rate_declare(year=YEAR, rate_percent="6")
    returns_credit(year=YEAR, as_of=AFTER)
    with pytest.raises(SaldoError) as excinfo:
        rate_declare(year=YEAR, rate_percent="7")
    assert excinfo.value.code == "rate_already_applied"
    assert DeclaredRate.objects.get(year=YEAR).rate_percent == Decimal("6")


def test_re_declaring_a_credited_years_rate_unchanged_is_allowed(jht):
    post_entries(jht, [(date(2023, 1, 31), 100_000)], key="iuran")
    rate_declare(year=YEAR, rate_percent="6")
    returns_credit(year=YEAR, as_of=AFTER)
    assert rate_declare(year=YEAR, rate_percent="6.00").rate_percent == Decimal("6")


@pytest.mark.parametrize(
    ("year", "rate", "field"),
    [
        (YEAR, "abc", "rate"),
        (YEAR, "6,06", "rate"),
        (YEAR, "", "rate"),
        (YEAR, "-0.01", "rate"),
        (YEAR, "100", "rate"),
        (YEAR, "6.12345", "rate"),
        (YEAR, "Infinity", "rate"),
        (1976, "6", "year"),
        (2201, "6", "year"),
    ],
)
def test_an_unreasonable_rate_or_year_is_refused(year, rate, field):
    with pytest.raises(ValidationError) as excinfo:
        rate_declare(year=year, rate_percent=rate)
    assert [e.field for e in excinfo.value.errors] == [field]
    assert not DeclaredRate.objects.filter(year=year).exists()


def test_not_a_number_is_refused_as_a_rate():
    with pytest.raises(ValidationError):
        rate_declare(year=YEAR, rate_percent="NaN")


def test_zero_percent_is_a_valid_rate(jht):
    post_entries(jht, [(date(2023, 1, 31), 100_000)], key="iuran")
    rate_declare(year=YEAR, rate_percent="0")
    assert returns_credit(year=YEAR, as_of=AFTER).accounts_credited == 0


# --- through the command line ------------------------------------------------------------------


def test_declare_rate_command_confirms_the_rate():
    out = StringIO()
    call_command("declare_rate", "--year", "2023", "--rate", "6.06", stdout=out)
    assert out.getvalue().strip() == "Tingkat hasil pengembangan 2023: 6.06%"


def test_declare_rate_command_refuses_a_bad_rate_with_exit_1():
    with pytest.raises(CommandError) as excinfo:
        call_command("declare_rate", "--year", "2023", "--rate", "enam", stdout=StringIO(), stderr=StringIO())
    assert excinfo.value.returncode == 1


def test_credit_returns_command_reports_accounts_and_total(jht):
    post_entries(jht, [(day, 100_000) for day in month_ends(YEAR)], key="iuran-2023")
    rate_declare(year=YEAR, rate_percent="6")
    out = StringIO()
    call_command("credit_returns", "--year", "2023", "--as-of", "2024-01-02", stdout=out)
    assert out.getvalue().strip() == "Hasil pengembangan 2023 (6.0000%): 1 rekening, total Rp39.000."
    out = StringIO()
    call_command("credit_returns", "--year", "2023", "--as-of", "2024-01-02", stdout=out)
    assert out.getvalue().strip() == "Hasil pengembangan 2023 sudah dikreditkan sebelumnya; tidak ada yang ditambahkan."


def test_credit_returns_command_refuses_a_year_without_a_rate_with_exit_1(jht):
    with pytest.raises(CommandError) as excinfo:
        call_command("credit_returns", "--year", "2022", "--as-of", "2023-01-02", stdout=StringIO())
    assert excinfo.value.returncode == 1
    assert "declare-rate --year 2022" in str(excinfo.value)
