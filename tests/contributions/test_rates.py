"""The dated rate table and the rounding rule (domain.md §2)."""

from datetime import date
from fractions import Fraction

import pytest

from saldo.contributions.rates import Iuran, iuran_compute, jp_wage_base, jp_wage_cap_of_year, rates_for
from saldo.core.errors import ConfigurationMissing

# The JP wage cap declared for each year (PP 45/2015 art. 29, domain.md §2), in force from
# March (from July in 2015).
DECLARED_CAPS = {
    2015: 7_000_000,
    2016: 7_335_300,
    2017: 7_703_500,
    2018: 8_094_000,
    2019: 8_512_400,
    2020: 8_939_700,
    2021: 8_754_600,
    2022: 9_077_600,
    2023: 9_559_600,
    2024: 10_042_300,
    2025: 10_547_400,
}
CAP_2015 = DECLARED_CAPS[2015]
CAP_2023 = DECLARED_CAPS[2023]
CAP_2024 = DECLARED_CAPS[2024]
CAP_2025 = DECLARED_CAPS[2025]


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
        (date(2016, 2, 1), CAP_2015),  # the 2016 cap starts in March
        (date(2016, 3, 1), DECLARED_CAPS[2016]),
        (date(2020, 1, 1), DECLARED_CAPS[2019]),
        (date(2021, 3, 1), DECLARED_CAPS[2021]),  # lower than 2020's: GDP fell in 2020
        (date(2024, 2, 1), CAP_2023),
        (date(2024, 3, 1), CAP_2024),
        (date(2025, 2, 1), CAP_2024),
        (date(2025, 3, 1), CAP_2025),
        (date(2030, 1, 1), CAP_2025),
    ],
)
def test_the_jp_wage_cap_depends_on_the_period(period, cap):
    assert rates_for(period).jp_wage_cap == cap


@pytest.mark.parametrize("year", sorted(DECLARED_CAPS))
def test_each_year_from_2015_has_its_own_declared_cap_from_march(year):
    start = date(2015, 7, 1) if year == 2015 else date(year, 3, 1)
    assert rates_for(start).jp_wage_cap == DECLARED_CAPS[year]
    assert jp_wage_cap_of_year(year) == DECLARED_CAPS[year]


@pytest.mark.parametrize(
    ("year", "cap"),
    [(1992, None), (2000, None), (2014, None), (2026, CAP_2025), (2040, CAP_2025)],
)
def test_the_cap_of_a_year_is_none_before_jp_and_the_last_one_after_the_table(year, cap):
    assert jp_wage_cap_of_year(year) == cap


@pytest.mark.parametrize(
    ("wage", "period", "base"),
    [
        (5_000_000, date(2015, 7, 1), 5_000_000),
        (7_500_000, date(2015, 7, 1), CAP_2015),
        (7_500_000, date(2016, 2, 1), CAP_2015),
        (7_500_000, date(2016, 3, 1), 7_335_300),
        (CAP_2024, date(2024, 3, 1), CAP_2024),
        (20_000_000, date(2030, 1, 1), CAP_2025),
        (20_000_000, date(2015, 6, 1), 0),  # JP not in force yet
    ],
)
def test_the_jp_wage_base_is_the_wage_up_to_the_periods_cap(wage, period, base):
    assert jp_wage_base(wage=wage, period=period) == base


@pytest.mark.parametrize(
    ("period", "cap"),
    [
        (date(2015, 7, 1), CAP_2015),
        (date(2021, 6, 1), DECLARED_CAPS[2021]),
        (date(2023, 12, 1), CAP_2023),
        (date(2024, 3, 1), CAP_2024),
        (date(2025, 3, 1), CAP_2025),
    ],
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
    "wage", [1, 2, 13, 25, 99, 1_234_567, 3_333_333, 4_999_975, 7_000_001, 9_559_601, 12_345_678, 987_654_321]
)
@pytest.mark.parametrize(
    ("period", "jp_cap"),
    [
        (date(2014, 1, 1), None),
        (date(2015, 8, 1), CAP_2015),
        (date(2019, 6, 1), DECLARED_CAPS[2019]),
        (date(2024, 6, 1), CAP_2024),
        (date(2025, 6, 1), CAP_2025),
    ],
)
def test_every_share_matches_exact_arithmetic_rounded_half_up_once(wage, period, jp_cap):
    assert iuran_compute(wage=wage, period=period) == oracle(wage, jp_cap=jp_cap)
