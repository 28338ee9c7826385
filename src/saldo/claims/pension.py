"""Jaminan Pensiun (PP 45/2015, domain.md §5a): pension age, the monthly pension and its limits.

Pure functions of their arguments: no database, no clock. The caller gathers a person's JP
wage bases over all their KPJ; this module only does the arithmetic.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from saldo.contributions.rates import jp_wage_cap_of_year
from saldo.core.money import round_half_up
from saldo.core.periods import add_years

# At pension age, 15 years of JP iuran earn a monthly pension; fewer earn a lump sum.
JP_LUMP_SUM_MAX_MONTHS = 180

_FIRST_AGE = 56
_LAST_AGE = 65
_FIRST_STEP_YEAR = 2019  # 57 from 2019, then one more year every three years
_STEP_YEARS = 3


def pension_age_in(year: int) -> int:
    """The JP pension age in force in `year`: 56 until 2018, 57 from 2019, then +1 every three
    years (58 in 2022-24, 59 in 2025-27, 60 in 2028-30, ...) up to 65 from 2043."""
    if year < _FIRST_STEP_YEAR:
        return _FIRST_AGE
    return min(_LAST_AGE, _FIRST_AGE + 1 + (year - _FIRST_STEP_YEAR) // _STEP_YEARS)


def pension_date(birth_date: date) -> date:
    """The birthday on which the person reaches JP pension age: the first birthday at an age a
    with a >= the pension age in force in that birthday's year.

    Born 1970-05-10: 56 in 2026 (age 59 then), 57 in 2027 (59), 58 in 2028 (60), 59 in 2029
    (60): not yet; 60 in 2030 (60): 2030-05-10.
    Born 1960-03-01: 56 on 2016-03-01, and the age in 2016 is 56: 2016-03-01.
    Born on 29 February: the birthday in a common year is 1 March (core.periods.add_years).
    """
    for age in range(_FIRST_AGE, _LAST_AGE + 1):
        birthday = add_years(birth_date, age)
        if age >= pension_age_in(birthday.year):
            return birthday
    raise AssertionError("unreachable: the pension age never exceeds 65")


@dataclass(frozen=True)
class BenefitLimits:
    """The monthly pension's floor and ceiling for pensions starting in `year`."""

    year: int
    floor: int
    ceiling: int
    source: str


def _indexed(year: int, inflation: str) -> str:
    return f"diindeks inflasi BPS {year - 1} {inflation}% (perhitungan proyek, belum dikonfirmasi)"


# Each row after 2015 = the previous row x (1 + the previous year's CPI inflation), rounded
# down to Rp100, worked out by hand with exact arithmetic. The official yearly figures were not
# found, so every indexed row says it is the project's own computation.
JP_BENEFIT_LIMITS: tuple[BenefitLimits, ...] = (
    BenefitLimits(2015, 300_000, 3_600_000, "PP 45/2015 pasal 20"),
    BenefitLimits(2016, 310_000, 3_720_600, _indexed(2016, "3.35")),
    BenefitLimits(2017, 319_300, 3_832_900, _indexed(2017, "3.02")),
    BenefitLimits(2018, 330_800, 3_971_200, _indexed(2018, "3.61")),
    BenefitLimits(2019, 341_100, 4_095_400, _indexed(2019, "3.13")),
    BenefitLimits(2020, 350_300, 4_206_700, _indexed(2020, "2.72")),
    BenefitLimits(2021, 356_100, 4_277_300, _indexed(2021, "1.68")),
    BenefitLimits(2022, 362_700, 4_357_200, _indexed(2022, "1.87")),
    BenefitLimits(2023, 382_600, 4_597_200, _indexed(2023, "5.51")),
    BenefitLimits(2024, 392_500, 4_717_100, _indexed(2024, "2.61")),
    BenefitLimits(2025, 398_600, 4_791_100, _indexed(2025, "1.57")),
)


def benefit_limits_in(year: int) -> BenefitLimits:
    """The row for `year`; the last row for later years, the first for earlier ones."""
    current = JP_BENEFIT_LIMITS[0]
    for row in JP_BENEFIT_LIMITS:
        if row.year <= year:
            current = row
    return current


@dataclass(frozen=True)
class PensionFigure:
    months: int
    average_indexed_wage: int  # rounded half up, for display only; the formula uses it exact
    formula_amount: int  # 1% x months/12 x average, before the floor and ceiling
    floor: int
    ceiling: int
    monthly: int


def monthly_pension(*, wages: Iterable[tuple[date, int]], pension_on: date) -> PensionFigure:
    """The monthly JP pension from every month with JP iuran: (period, JP wage base) pairs.

    monthly = 1% x (months / 12) x the average monthly wage, each year's wages indexed to the
    year before the pension year by the JP cap chain, rounded half up once, then held between
    the floor and ceiling of the pension year. Raises ValueError without any month.
    """
    bases = _one_base_per_month(wages)
    if not bases:
        raise ValueError("no month with JP iuran")
    target_year = pension_on.year - 1
    total = sum((_indexed_wage(base, period.year, target_year) for period, base in bases.items()), Fraction(0))
    months = len(bases)
    average = total / months
    formula_amount = round_half_up(Fraction(1, 100) * Fraction(months, 12) * average)
    limits = benefit_limits_in(pension_on.year)
    return PensionFigure(
        months=months,
        average_indexed_wage=round_half_up(average),
        formula_amount=formula_amount,
        floor=limits.floor,
        ceiling=limits.ceiling,
        monthly=min(max(formula_amount, limits.floor), limits.ceiling),
    )


def _one_base_per_month(wages: Iterable[tuple[date, int]]) -> dict[date, int]:
    # A month paid on two KPJ still counts once: a person draws one pension, so the month
    # counts with the larger of its wage bases.
    bases: dict[date, int] = {}
    for period, base in wages:
        bases[period] = max(base, bases.get(period, base))
    return bases


def _indexed_wage(base: int, year: int, target_year: int) -> Fraction:
    """`base` earned in `year`, in `target_year` terms: x cap(target) / cap(year). Past the
    cap table both caps are the last one, so the factor is 1 beyond the data."""
    cap_then = jp_wage_cap_of_year(year)
    cap_target = jp_wage_cap_of_year(target_year)
    if cap_then is None or cap_target is None:
        raise ValueError(f"no JP wage cap to index {year} to {target_year}")
    return Fraction(base * cap_target, cap_then)
