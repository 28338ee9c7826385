"""The dated rate table and the rounding rule (domain.md §2)."""

from datetime import date
from fractions import Fraction

import pytest

from saldo.contributions.rates import Iuran, iuran_compute, rates_for
from saldo.core.errors import ConfigurationMissing

CAP_2015 = 9_559_600
CAP_2024 = 10_042_300
CAP_2025 = 10_547_400


def half_up(value: Fraction) -> int:
    """Independent oracle for the project's rounding rule (non-negative values)."""
    return int(value + Fraction(1, 2))


def oracle(wage: int, *, jp_cap: int | None) -> Iuran:
    jp_base = 0 if jp_cap is None else min(wage, jp_cap)
    return Iuran(
        jht_employer=half_up(Fraction(37, 1000) * wage),
        jht_worker=half_up(Fraction(2, 100) * wage),
        jp_employer=half_up(Fraction(2, 100) * jp_base),
        jp_worker=half_up(Fraction(1, 100) * jp_base),
    )


def test_the_domain_example_wage_rounds_each_share_half_up():
    # 5,000,025: JHT employer 185,000.925 -> 185,001; worker 100,000.5 -> 100,001;
    # JP employer 100,000.5 -> 100,001; JP worker 50,000.25 -> 50,000.
    assert iuran_compute(wage=5_000_025, period=date(2024, 5, 1)) == Iuran(185_001, 100_001, 100_001, 50_000)


def test_jht_is_5_7_percent_and_jp_3_percent_of_the_wage():
    iuran = iuran_compute(wage=5_000_000, period=date(2024, 5, 1))
    assert iuran == Iuran(jht_employer=185_000, jht_worker=100_000, jp_employer=100_000, jp_worker=50_000)
    assert (iuran.jht, iuran.jp) == (285_000, 150_000)


@pytest.mark.parametrize(
    ("period", "cap"),
    [
        (date(2015, 7, 1), CAP_2015),
        (date(2020, 1, 1), CAP_2015),
        (date(2024, 2, 1), CAP_2015),
        (date(2024, 3, 1), CAP_2024),
        (date(2025, 2, 1), CAP_2024),
        (date(2025, 3, 1), CAP_2025),
        (date(2030, 1, 1), CAP_2025),
    ],
)
def test_the_jp_wage_cap_depends_on_the_period(period, cap):
    assert rates_for(period).jp_wage_cap == cap


@pytest.mark.parametrize(
    ("period", "cap"),
    [(date(2023, 12, 1), CAP_2015), (date(2024, 3, 1), CAP_2024), (date(2025, 3, 1), CAP_2025)],
)
def test_jp_is_computed_on_the_capped_wage_and_jht_on_the_whole_wage(period, cap):
    wage = 20_000_000
    assert iuran_compute(wage=wage, period=period) == Iuran(
        jht_employer=740_000,
        jht_worker=400_000,
        jp_employer=half_up(Fraction(2, 100) * cap),
        jp_worker=half_up(Fraction(1, 100) * cap),
    )


def test_a_wage_exactly_at_the_cap_is_not_reduced():
    assert iuran_compute(wage=CAP_2024, period=date(2024, 3, 1)) == oracle(CAP_2024, jp_cap=CAP_2024)


def test_the_cap_changes_in_march_2024():
    wage = 10_500_000
    assert iuran_compute(wage=wage, period=date(2024, 2, 1)).jp_employer == 191_192  # 2% of 9,559,600
    assert iuran_compute(wage=wage, period=date(2024, 3, 1)).jp_employer == 200_846  # 2% of 10,042,300


def test_periods_before_july_2015_have_no_jp():
    assert rates_for(date(2015, 6, 1)).jp_wage_cap is None
    assert iuran_compute(wage=5_000_025, period=date(2015, 6, 1)) == Iuran(185_001, 100_001, 0, 0)


def test_jp_starts_in_july_2015():
    assert iuran_compute(wage=5_000_025, period=date(2015, 7, 1)) == Iuran(185_001, 100_001, 100_001, 50_000)


def test_rates_are_the_same_3_7_and_2_percent_back_to_the_start_of_the_table():
    rates = rates_for(date(1993, 1, 1))
    shares = (rates.jht_employer_bp, rates.jht_worker_bp, rates.jp_employer_bp, rates.jp_worker_bp)
    assert shares == (370, 200, 0, 0)


def test_a_period_before_the_rate_table_is_a_missing_configuration():
    with pytest.raises(ConfigurationMissing) as excinfo:
        iuran_compute(wage=1_000_000, period=date(1992, 12, 1))
    assert excinfo.value.code == "configuration_missing"
    assert "1992-12" in excinfo.value.message


@pytest.mark.parametrize(
    "wage", [1, 2, 13, 25, 99, 1_234_567, 3_333_333, 4_999_975, 9_559_601, 12_345_678, 987_654_321]
)
@pytest.mark.parametrize("period", [date(2014, 1, 1), date(2019, 6, 1), date(2024, 6, 1), date(2025, 6, 1)])
def test_every_share_matches_exact_arithmetic_rounded_half_up_once(wage, period):
    assert iuran_compute(wage=wage, period=period) == oracle(wage, jp_cap=rates_for(period).jp_wage_cap)
