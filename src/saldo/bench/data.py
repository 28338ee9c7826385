"""Deterministic benchmark files: N valid members and one month's wage report for all of them.

Every value is a pure function of the row index, so two runs import byte-identical files and
nothing here needs a random generator. Generation is not timed, but it must stay quick at
1,000,000 rows, hence plain string formatting instead of the csv module.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from saldo.registry.services import MEMBER_COLUMNS
from saldo.registry.validators import FEMALE_DAY_OFFSET, PROVINCE_CODES

PERIOD = date(2024, 6, 1)
# The imports run as of a day after the wage month; returns for the year on 2 January after it.
IMPORT_AS_OF = date(2024, 7, 10)
MEMBERS_PER_EMPLOYER = 50
MIN_WAGE, MAX_WAGE, WAGE_STEP = 2_000_000, 20_000_000, 1_000

_PROVINCES = sorted(PROVINCE_CODES)
_SERIALS = 9_999  # NIK serials 0001-9999 per region; the region changes every 9,999 members
_BIRTH_FIRST = date(1960, 1, 1)
_BIRTH_SPAN_DAYS = (date(2003, 12, 31) - _BIRTH_FIRST).days
_LAST_START = date(2024, 5, 1)  # everyone is a member before the wage month
_MALE = ("BUDI", "AGUS", "RUDI", "HENDRA", "DEDI", "JOKO", "ANDI", "BAMBANG", "EKO", "YUSUF", "IWAN", "ADI")
_FEMALE = ("SITI", "DEWI", "SRI", "RINA", "LESTARI", "AYU", "FITRI", "NUR", "WULAN", "INDAH", "MAYA", "PUTRI")
_FAMILY = (
    "SANTOSO",
    "WIJAYA",
    "SAPUTRA",
    "HIDAYAT",
    "KURNIAWAN",
    "SETIAWAN",
    "NASUTION",
    "SIREGAR",
    "LUBIS",
    "HARAHAP",
    "PRATAMA",
    "SUHARTO",
    "GUNAWAN",
    "SIMANJUNTAK",
    "PURNAMA",
)


@dataclass(frozen=True)
class BenchFiles:
    members: Path
    wages: Path
    rows: int
    employers: int


def employer_count(members: int) -> int:
    return max(1, members // MEMBERS_PER_EMPLOYER)


def kpj_of(i: int) -> str:
    return f"{12_000_000_000 + i:011d}"


def npp_of(employer: int) -> str:
    return f"{30_000_000 + employer:08d}"


def birth_date_of(i: int) -> date:
    # A multiplier coprime to the span spreads neighbouring members over the whole range.
    return _BIRTH_FIRST + timedelta(days=(i * 7_919) % _BIRTH_SPAN_DAYS)


def nik_of(i: int, birth: date, female: bool) -> str:
    """Unique per member: the region digits and serial encode i; the middle encodes birth and sex."""
    region, serial = divmod(i, _SERIALS)
    province = _PROVINCES[region % len(_PROVINCES)]
    regency = (region // len(_PROVINCES)) % 99 + 1
    district = (region // (len(_PROVINCES) * 99)) % 99 + 1
    day = birth.day + (FEMALE_DAY_OFFSET if female else 0)
    region_digits = f"{province:02d}{regency:02d}{district:02d}"
    return f"{region_digits}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial + 1:04d}"


def start_date_of(i: int, birth: date) -> date:
    adult = date(birth.year + 20, birth.month, min(birth.day, 28))
    return min(adult + timedelta(days=i % 1_000), _LAST_START)


def wage_of(i: int) -> int:
    steps = (MAX_WAGE - MIN_WAGE) // WAGE_STEP + 1
    return MIN_WAGE + ((i * 2_654_435_761) % steps) * WAGE_STEP


def member_line(i: int, employers: int) -> str:
    female = i % 2 == 1
    birth = birth_date_of(i)
    first = (_FEMALE if female else _MALE)[i // 2 % len(_FEMALE)]
    family = _FAMILY[i // 7 % len(_FAMILY)]
    mother = f"{_FEMALE[i // 3 % len(_FEMALE)]} {_FAMILY[i // 11 % len(_FAMILY)]}"
    npp = npp_of(i % employers)
    email = f"peserta{i}@contoh.co.id" if i % 3 == 0 else ""
    fields = (
        kpj_of(i),
        nik_of(i, birth, female),
        f"{first} {family}",
        birth.isoformat(),
        "P" if female else "L",
        mother,
        f"+62812{i:08d}",
        email,
        npp,
        f"PT SEJAHTERA {npp}",
        start_date_of(i, birth).isoformat(),
    )
    return ",".join(fields)


def _wage_lines(members: int, employers: int) -> Iterator[str]:
    # Grouped by employer, as employers send their reports: the KPJs arrive out of registry order.
    period = f"{PERIOD:%Y-%m}"
    for employer in range(employers):
        npp = npp_of(employer)
        for i in range(employer, members, employers):
            yield f"{npp},{period},{kpj_of(i)},{wage_of(i)}"


def _write(path: Path, header: str, lines: Iterator[str]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(header + "\n")
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            if len(batch) == 100_000:
                fh.write("\n".join(batch) + "\n")
                batch.clear()
        if batch:
            fh.write("\n".join(batch) + "\n")


def files_generate(directory: Path, members: int) -> BenchFiles:
    employers = employer_count(members)
    members_path = directory / f"members_{members}.csv"
    wages_path = directory / f"wages_{PERIOD:%Y_%m}_{members}.csv"
    _write(members_path, ",".join(MEMBER_COLUMNS), (member_line(i, employers) for i in range(members)))
    _write(wages_path, "npp,period,kpj,wage", _wage_lines(members, employers))
    return BenchFiles(members_path, wages_path, members, employers)
