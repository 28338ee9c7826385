"""A fixed pool of employers per regency, with NPP, a plausible name and the months (if any) it
failed to remit iuran.

The pool depends on the seed only, not on how many members are generated, so a person's
employer stays the same whatever --members is. Low indices are the big employers (PT with an
industry); the tail is small firms (CV, UD, koperasi, yayasan).
"""

import random
from dataclasses import dataclass
from datetime import date

from saldo.core.periods import add_months
from saldo.demo.regions import REGENCIES, Regency

ARREARS_FIRST = date(2019, 6, 1)
ARREARS_MONTHS = 78  # mid-2019 up to the end of 2025
ARREARS_SHARE = 0.12  # employers that skipped at least one month

_FIRST = ("Sinar", "Maju", "Karya", "Mitra", "Cahaya", "Bintang", "Putra", "Sumber", "Mega", "Surya",
          "Tunas", "Graha", "Indo", "Nusa", "Prima", "Citra", "Wahana", "Duta", "Bumi", "Anugerah", "Berkah",
          "Harapan", "Mulia", "Samudra", "Adi", "Panca", "Sarana", "Kencana", "Global", "Dharma")
_SECOND = ("Abadi", "Jaya", "Makmur", "Sejahtera", "Mandiri", "Sentosa", "Perkasa", "Utama", "Lestari",
           "Gemilang", "Sukses", "Bersama", "Nusantara", "Persada", "Raya", "Agung", "Indah", "Cemerlang",
           "Santosa", "Pratama", "Sakti", "Semesta")
_INDUSTRY = ("Tekstil", "Garmen", "Logistik", "Plastik", "Elektronik", "Konstruksi", "Farmasi", "Pangan",
             "Ekspedisi", "Teknik", "Kimia", "Motor", "Keramik", "Kemasan", "Properti", "Baja",
             "Food Industries", "Otomotif", "Digital Solusi", "Sawit Lestari", "Mebel", "Percetakan")
_SMALL = ("CV", "CV", "CV", "UD", "Koperasi Karyawan", "Yayasan Pendidikan", "Klinik Pratama", "Toko")
_RESORT_REGENCIES = ("5103", "5171")


@dataclass(frozen=True)
class EmployerPlan:
    npp: str
    name: str
    regency: Regency
    arrears: frozenset[date]  # periods (first of month) with no iuran remitted


def _name(rng: random.Random, regency: Regency, big: bool) -> str:
    first, second = rng.choice(_FIRST), rng.choice(_SECOND)
    if not big:
        return f"{rng.choice(_SMALL)} {first} {second}"
    if regency.code in _RESORT_REGENCIES and rng.random() < 0.4:
        return f"PT {first} {second} Resort"
    if rng.random() < 0.6:
        return f"PT {first} {second} {rng.choice(_INDUSTRY)}"
    return f"PT {first} {second}"


def _arrears(rng: random.Random) -> frozenset[date]:
    if rng.random() >= ARREARS_SHARE:
        return frozenset()
    months: set[date] = set()
    for _ in range(rng.choice((1, 1, 2))):
        start = add_months(ARREARS_FIRST, rng.randrange(ARREARS_MONTHS))
        months.update(add_months(start, i) for i in range(rng.randint(1, 4)))
    return frozenset(months)


def employer_pool(seed: int) -> dict[str, list[EmployerPlan]]:
    """Every regency's employers, in a fixed order; NPP and names unique across the pool."""
    rng = random.Random(f"saldo-demo:{seed}:employers")
    pool: dict[str, list[EmployerPlan]] = {}
    npps: set[str] = set()
    names: set[str] = set()
    for regency in REGENCIES:
        plans = []
        for index in range(regency.employers):
            npp = str(rng.randrange(10_000_000, 100_000_000))
            while npp in npps:
                npp = str(rng.randrange(10_000_000, 100_000_000))
            npps.add(npp)
            big = index < max(3, regency.employers * 2 // 3)
            name = _name(rng, regency, big)
            while name in names:
                name = _name(rng, regency, big)
            names.add(name)
            plans.append(EmployerPlan(npp, name, regency, _arrears(rng)))
        pool[regency.code] = plans
    return pool


def employer_pick(
    rng: random.Random, plans: list[EmployerPlan], *, avoid: frozenset[str] = frozenset()
) -> EmployerPlan:
    """Skewed towards the first (biggest) employers; never one the person worked for before
    (a new KPJ is for a new employer), unless the town has no other."""
    if all(plan.npp in avoid for plan in plans):
        avoid = frozenset()
    while True:
        plan = plans[int(len(plans) * rng.random() ** 2)]
        if plan.npp not in avoid:
            return plan
