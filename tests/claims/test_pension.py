"""Jaminan Pensiun arithmetic (PP 45/2015, domain.md §5a): pension age, limits, monthly pension."""

from datetime import date
from fractions import Fraction

import pytest

from saldo.claims.pension import (
    JP_BENEFIT_LIMITS,
    JP_LUMP_SUM_MAX_MONTHS,
    PensionFigure,
    benefit_limits_in,
    monthly_pension,
    pension_age_in,
    pension_date,
)


def half_up(value: Fraction) -> int:
    """Independent oracle for the project's rounding rule (non-negative values)."""
    return int(value + Fraction(1, 2))


def months(first: date, count: int) -> list[date]:
    """`count` consecutive wage months from `first`."""
    index = first.year * 12 + first.month - 1
    return [date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(count)]


# --- pension age ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "age"),
    [
        (2015, 56),
        (2018, 56),  # the last year at 56
        (2019, 57),
        (2021, 57),
        (2022, 58),  # +1 every three years
        (2024, 58),
        (2025, 59),
        (2027, 59),
        (2028, 60),
        (2030, 60),
        (2031, 61),
        (2040, 64),
        (2042, 64),
        (2043, 65),  # the last step
        (2100, 65),  # never above 65
    ],
)
def test_the_pension_age_is_56_until_2018_then_one_more_every_three_years_up_to_65(year, age):
    assert pension_age_in(year) == age


@pytest.mark.parametrize(
    ("born", "pension_on"),
    [
        (date(1960, 3, 1), date(2016, 3, 1)),  # 56 in 2016, when the age is 56
        (date(1962, 12, 31), date(2018, 12, 31)),  # 56 in the last year of age 56
        (date(1963, 1, 1), date(2020, 1, 1)),  # 56 in 2019 is too young (57): waits a year
        (date(1970, 5, 10), date(2030, 5, 10)),  # 56..59 all fall short; 60 in 2030 (60)
        # Crossing a step: one day apart at birth, two years apart at pension.
        (date(1966, 12, 31), date(2024, 12, 31)),  # 58 in 2024 (58)
        (date(1967, 1, 1), date(2026, 1, 1)),  # 58 in 2025 (59) no; 59 in 2026 (59)
        (date(1979, 6, 1), date(2044, 6, 1)),  # 64 in 2043 (65) no: 65 in 2044
        (date(1990, 1, 1), date(2055, 1, 1)),  # everyone from 2043 waits for 65
    ],
)
def test_the_pension_date_is_the_first_birthday_at_or_above_that_years_pension_age(born, pension_on):
    assert pension_date(born) == pension_on


@pytest.mark.parametrize(
    ("born", "pension_on"),
    [
        (date(1960, 2, 29), date(2016, 2, 29)),  # 56 in a leap year: the day itself
        (date(1964, 2, 29), date(2021, 3, 1)),  # 56 on 2020-02-29 (57 needed); 57 on 1 March 2021
        (date(1968, 2, 29), date(2027, 3, 1)),  # 56..58 fall short; 59 on 1 March 2027 (59)
    ],
)
def test_a_29_february_birthday_falls_on_1_march_in_a_common_year(born, pension_on):
    assert pension_date(born) == pension_on


# --- floor and ceiling ------------------------------------------------------------------------

INFLATION_BP = {
    2015: 335,
    2016: 302,
    2017: 361,
    2018: 313,
    2019: 272,
    2020: 168,
    2021: 187,
    2022: 551,
    2023: 261,
    2024: 157,
}


def test_jp_limits_start_from_the_2015_figures_of_pp_45_2015():
    first = JP_BENEFIT_LIMITS[0]
    assert (first.year, first.floor, first.ceiling) == (2015, 300_000, 3_600_000)
    assert "PP 45/2015" in first.source


@pytest.mark.parametrize("index", range(1, len(JP_BENEFIT_LIMITS)))
def test_each_years_limits_are_last_years_raised_by_its_inflation_rounded_down_to_rp100(index):
    previous, row = JP_BENEFIT_LIMITS[index - 1], JP_BENEFIT_LIMITS[index]
    bp = INFLATION_BP[previous.year]
    assert row.year == previous.year + 1
    assert row.floor == previous.floor * (10_000 + bp) // 1_000_000 * 100
    assert row.ceiling == previous.ceiling * (10_000 + bp) // 1_000_000 * 100
    assert f"inflasi BPS {previous.year} {bp // 100}.{bp % 100:02d}%" in row.source
    assert "belum dikonfirmasi" in row.source


@pytest.mark.parametrize(
    ("year", "floor", "ceiling"),
    [
        (2010, 300_000, 3_600_000),  # before the table: its first row
        (2015, 300_000, 3_600_000),
        (2016, 310_000, 3_720_600),  # 300,000 x 1.0335 = 310,050 -> 310,000
        (2020, 350_300, 4_206_700),
        (2025, 398_600, 4_791_100),
        (2031, 398_600, 4_791_100),  # after the table: its last row
    ],
)
def test_the_limits_of_a_year_are_its_row_or_the_nearest_end_of_the_table(year, floor, ceiling):
    limits = benefit_limits_in(year)
    assert (limits.floor, limits.ceiling) == (floor, ceiling)


def test_a_monthly_pension_needs_15_years_of_iuran_fewer_is_a_lump_sum():
    assert JP_LUMP_SUM_MAX_MONTHS == 15 * 12


# --- monthly pension --------------------------------------------------------------------------
# JP caps are written out here (domain.md §2) rather than read from the rate table they check.


def test_the_pension_is_one_percent_a_year_of_the_indexed_average_wage():
    # Pension in 2026: wages are indexed to 2025 (cap 10,547,400).
    wages = [(p, 5_000_000) for p in months(date(2024, 1, 1), 12)]  # x 10,547,400 / 10,042,300
    wages += [(p, 6_000_000) for p in months(date(2025, 1, 1), 12)]  # x 1: already 2025
    total = Fraction(12 * 5_000_000 * 10_547_400, 10_042_300) + 12 * 6_000_000
    average = total / 24
    # 1% x 24/12 years x average = total / 1200
    figure = monthly_pension(wages=wages, pension_on=date(2026, 5, 10))
    assert figure == PensionFigure(
        months=24,
        average_indexed_wage=half_up(average),
        formula_amount=half_up(total / 1200),
        floor=398_600,
        ceiling=4_791_100,
        monthly=398_600,  # two years of iuran is below the floor
    )
    assert (figure.average_indexed_wage, figure.formula_amount) == (5_625_743, 112_515)


def test_fifteen_years_from_july_2015_are_each_indexed_by_their_years_cap():
    # Pension on 2030-07-01: indexed to 2029, past the cap table, so to the last cap 10,547,400;
    # every year from 2025 on has factor 1.
    wage = 5_000_000
    wages = [(p, wage) for p in months(date(2015, 7, 1), 180)]
    caps = {2015: 7_000_000, 2016: 7_335_300, 2017: 7_703_500, 2018: 8_094_000, 2019: 8_512_400}
    caps |= {2020: 8_939_700, 2021: 8_754_600, 2022: 9_077_600, 2023: 9_559_600, 2024: 10_042_300}
    months_in = {2015: 6} | dict.fromkeys(range(2016, 2030), 12) | {2030: 6}
    total = sum(Fraction(n * wage * 10_547_400, caps.get(year, 10_547_400)) for year, n in months_in.items())
    figure = monthly_pension(wages=wages, pension_on=date(2030, 7, 1))
    assert figure.months == 180
    assert figure.average_indexed_wage == half_up(total / 180)
    assert figure.formula_amount == half_up(total / 1200)  # 1% x 15 years x average
    assert figure.monthly == figure.formula_amount  # between the floor and the ceiling


def test_the_formula_is_rounded_half_up_once_not_month_by_month():
    # Each month alone is 480 / 1200 = 0.4 rupiah; together 0.8 -> 1.
    wages = [(date(2025, 3, 1), 480), (date(2025, 4, 1), 480)]
    assert monthly_pension(wages=wages, pension_on=date(2026, 1, 1)).formula_amount == 1


def test_a_half_rupiah_is_rounded_up():
    figure = monthly_pension(wages=[(date(2025, 3, 1), 1_800)], pension_on=date(2026, 1, 1))
    assert figure.formula_amount == 2  # 1,800 / 1200 = 1.5


@pytest.mark.parametrize(
    ("base", "count", "pension_on", "formula", "monthly"),
    [
        # 2020's limits for a 2020 pension; indexed to 2019, so 2019 wages count as they are.
        (4_000_000, 12, date(2020, 6, 1), 40_000, 350_300),  # 48,000,000 / 1200: the floor
        # 50 years at the 2025 cap: 0.5 x 10,547,400 = 5,273,700, above the last ceiling.
        (10_547_400, 600, date(2075, 3, 1), 5_273_700, 4_791_100),
    ],
)
def test_the_monthly_pension_is_held_between_the_years_floor_and_ceiling(base, count, pension_on, formula, monthly):
    first = date(2019, 1, 1) if pension_on.year == 2020 else date(2025, 3, 1)
    figure = monthly_pension(wages=[(p, base) for p in months(first, count)], pension_on=pension_on)
    assert (figure.formula_amount, figure.monthly) == (formula, monthly)


def test_a_month_paid_on_two_kpj_counts_once_with_the_larger_wage():
    wages = iter([(date(2025, 3, 1), 4_000_000), (date(2025, 3, 1), 6_000_000), (date(2025, 4, 1), 3_000_000)])
    figure = monthly_pension(wages=wages, pension_on=date(2026, 1, 1))
    assert figure.months == 2
    assert figure.average_indexed_wage == 4_500_000  # (6,000,000 + 3,000,000) / 2
    assert figure.formula_amount == 7_500  # 9,000,000 / 1200


def test_wages_of_2016_are_indexed_by_the_cap_declared_for_2016():
    # Pension in 2020, indexed to 2019: x 8,512,400 / 7,335,300, January 2016 included.
    wages = [(date(2016, 1, 1), 3_000_000), (date(2016, 6, 1), 3_000_000)]
    figure = monthly_pension(wages=wages, pension_on=date(2020, 1, 1))
    total = Fraction(2 * 3_000_000 * 8_512_400, 7_335_300)
    assert figure.average_indexed_wage == half_up(total / 2)
    assert figure.formula_amount == half_up(total / 1200)


def test_no_month_of_iuran_is_an_error():
    with pytest.raises(ValueError, match="no month"):
        monthly_pension(wages=[], pension_on=date(2026, 1, 1))


def test_a_wage_from_before_jp_began_cannot_be_indexed():
    with pytest.raises(ValueError, match="2014"):
        monthly_pension(wages=[(date(2014, 12, 1), 3_000_000)], pension_on=date(2026, 1, 1))
