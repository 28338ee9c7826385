"""Dated contribution rates (domain.md §2). A row applies from `valid_from` until the next row.

Rates are basis points of the wage (3.7% = 370); the JP base is the wage capped at `jp_wage_cap`.
The JP cap is declared once a year, in force from March (July in 2015, when JP began).
Iuran already posted are stored amounts and never recomputed: correcting a row here only
changes iuran imported afterwards, so a past period is never silently re-priced.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.utils.translation import gettext as _

from saldo.core.errors import ConfigurationMissing
from saldo.core.money import share


@dataclass(frozen=True)
class RateSet:
    valid_from: date
    jht_employer_bp: int
    jht_worker_bp: int
    jp_employer_bp: int
    jp_worker_bp: int
    jp_wage_cap: int | None  # None: JP not in force


RATE_TABLE: tuple[RateSet, ...] = (
    # JHT 3.7% + 2% since the Jamsostek era; JP did not exist yet.
    RateSet(date(1993, 1, 1), 370, 200, 0, 0, None),
    # JP starts July 2015 (PP 45/2015). Each later cap = the previous x (1 + last year's GDP
    # growth), rounded down to Rp100 (art. 29); the chain reproduces the published 2016-19
    # list and the 2023-25 announcements. 2021 is lower than 2020: GDP fell in 2020.
    RateSet(date(2015, 7, 1), 370, 200, 200, 100, 7_000_000),
    RateSet(date(2016, 3, 1), 370, 200, 200, 100, 7_335_300),
    RateSet(date(2017, 3, 1), 370, 200, 200, 100, 7_703_500),
    RateSet(date(2018, 3, 1), 370, 200, 200, 100, 8_094_000),
    RateSet(date(2019, 3, 1), 370, 200, 200, 100, 8_512_400),
    RateSet(date(2020, 3, 1), 370, 200, 200, 100, 8_939_700),
    RateSet(date(2021, 3, 1), 370, 200, 200, 100, 8_754_600),
    RateSet(date(2022, 3, 1), 370, 200, 200, 100, 9_077_600),
    RateSet(date(2023, 3, 1), 370, 200, 200, 100, 9_559_600),
    RateSet(date(2024, 3, 1), 370, 200, 200, 100, 10_042_300),
    RateSet(date(2025, 3, 1), 370, 200, 200, 100, 10_547_400),
)

# The first period with JP; a year before it has no declared cap.
_JP_START = next(row.valid_from for row in RATE_TABLE if row.jp_wage_cap is not None)


@dataclass(frozen=True)
class Iuran:
    jht_employer: int
    jht_worker: int
    jp_employer: int
    jp_worker: int

    @property
    def jht(self) -> int:
        return self.jht_employer + self.jht_worker

    @property
    def jp(self) -> int:
        return self.jp_employer + self.jp_worker


@lru_cache(maxsize=1024)  # an import asks for the same few periods a million times
def rates_for(period: date) -> RateSet:
    current = None
    for row in RATE_TABLE:
        if row.valid_from <= period:
            current = row
    if current is None:
        raise ConfigurationMissing(_("tidak ada tarif iuran untuk periode %(period)s") % {"period": f"{period:%Y-%m}"})
    return current


def jp_wage_cap_of_year(year: int) -> int | None:
    """The JP cap declared for `year`; the last declared cap for years after the table,
    None before JP began (2015)."""
    if year < _JP_START.year:
        return None
    # Caps take effect in March (July in 2015), so the cap in force in July is that year's.
    return rates_for(date(year, 7, 1)).jp_wage_cap


def jp_wage_base(*, wage: int, period: date) -> int:
    """The wage JP iuran are computed on: the wage up to the period's cap, 0 before JP began."""
    cap = rates_for(period).jp_wage_cap
    return 0 if cap is None else min(wage, cap)


def iuran_compute(*, wage: int, period: date) -> Iuran:
    """Each share separately from the wage, rounded half up to whole rupiah (domain.md §2)."""
    rates = rates_for(period)
    jp_base = jp_wage_base(wage=wage, period=period)
    return Iuran(
        jht_employer=share(wage, rates.jht_employer_bp),
        jht_worker=share(wage, rates.jht_worker_bp),
        jp_employer=share(jp_base, rates.jp_employer_bp),
        jp_worker=share(jp_base, rates.jp_worker_bp),
    )
