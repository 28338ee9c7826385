"""Dated contribution rates (domain.md §2). A row applies from `valid_from` until the next row.

Rates are basis points of the wage (3.7% = 370); the JP base is the wage capped at `jp_wage_cap`.
Changing a rate or cap is adding a row, never editing one: past periods keep the rates they had.
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
    # JP starts July 2015 (PP 45/2015). domain.md gives one cap for everything before March 2024.
    RateSet(date(2015, 7, 1), 370, 200, 200, 100, 9_559_600),
    RateSet(date(2024, 3, 1), 370, 200, 200, 100, 10_042_300),
    # "Rp10,547,400 for 2025" (unconfirmed); caps change each March, as in 2024.
    RateSet(date(2025, 3, 1), 370, 200, 200, 100, 10_547_400),
)


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


def iuran_compute(*, wage: int, period: date) -> Iuran:
    """Each share separately from the wage, rounded half up to whole rupiah (domain.md §2)."""
    rates = rates_for(period)
    jp_base = min(wage, rates.jp_wage_cap) if rates.jp_wage_cap is not None else 0
    return Iuran(
        jht_employer=share(wage, rates.jht_employer_bp),
        jht_worker=share(wage, rates.jht_worker_bp),
        jp_employer=share(jp_base, rates.jp_employer_bp),
        jp_worker=share(jp_base, rates.jp_worker_bp),
    )
