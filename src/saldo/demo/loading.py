"""Loading the demo population through the same services operators use.

The plan is written as operator CSV files (one members file, one iuran file per year) in a
temporary directory and imported with members_import / contributions_import; leavers are
reported with membership_end; then the years after 2020 get illustrative rates and every
complete year is credited, oldest first, after all of its iuran is in. Nothing here reads the
clock: the caller passes as_of and now.
"""

import csv
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from django.db import transaction

from saldo.contributions.services import CONTRIBUTION_COLUMNS, contributions_import, membership_end
from saldo.core.errors import SaldoError
from saldo.core.periods import format_period
from saldo.demo.population import (
    DEFAULT_SEED,
    MIN_AS_OF,
    SHOWCASE_COUNT,
    ContributionRow,
    History,
    Job,
    Person,
    history_build,
    people_generate,
)
from saldo.registry.models import Membership
from saldo.registry.services import MEMBER_COLUMNS, MemberImportResult, members_import
from saldo.returns.models import DeclaredRate
from saldo.returns.services import rate_declare, returns_credit

FIRST_RETURNS_YEAR = 2019
# Declared rates after 2020 were not found (domain.md §3): the demo uses made-up ones, labelled so.
ILLUSTRATIVE_RATES = {2021: "5.59", 2022: "5.38", 2023: "5.60", 2024: "5.80", 2025: "6.00"}
ILLUSTRATIVE_NOTE = "ilustratif (data demo)"

Progress = Callable[[int], None]
ProgressFactory = Callable[[int, str], AbstractContextManager[Progress]]


@dataclass(frozen=True)
class SeedResult:
    persons: int
    memberships: int
    employers: int
    contributions: int
    ended: int
    first_period: date | None
    last_period: date | None
    rates_declared: tuple[tuple[int, str], ...]
    years_credited: tuple[int, ...]
    returns_total: int


def demo_present() -> bool:
    """Any KPJ at all means the database is in use: demo data goes only into an empty one."""
    return Membership.objects.exists()


def demo_load(
    *, members: int, as_of: date, now: datetime, seed: int = DEFAULT_SEED,
    progress: ProgressFactory | None = None,
) -> SeedResult:
    """Generate `members` people for `seed` and load their history up to `as_of`, all or nothing."""
    if members < SHOWCASE_COUNT:
        raise SaldoError(f"jumlah peserta demo paling sedikit {SHOWCASE_COUNT} (peserta contoh)")
    if as_of < MIN_AS_OF:
        raise SaldoError(f"tanggal acuan data demo paling awal {MIN_AS_OF:%d-%m-%Y}")
    if demo_present():
        raise SaldoError("basis data sudah berisi kepesertaan; data demo hanya dimuat ke basis data kosong "
                         "(pakai --if-empty untuk melewati)")
    history = history_build(people_generate(members=members, seed=seed), as_of=as_of)
    with TemporaryDirectory(prefix="saldo-demo-") as tmp, transaction.atomic():
        folder = Path(tmp)
        members_result = _members_load(folder, history, now, progress)
        _contributions_load(folder, history, progress)
        for kpj, end_date in history.ends:
            membership_end(kpj=kpj, end_date=end_date, as_of=as_of)
        declared = _rates_declare(as_of)
        credits = [returns_credit(year=year, as_of=as_of) for year in range(FIRST_RETURNS_YEAR, as_of.year)]
    periods = [row.period for row in history.contributions]
    return SeedResult(
        persons=members_result.persons_created,
        memberships=members_result.memberships_created,
        employers=members_result.employers_created,
        contributions=len(history.contributions),
        ended=len(history.ends),
        first_period=min(periods, default=None),
        last_period=max(periods, default=None),
        rates_declared=declared,
        years_credited=tuple(c.year for c in credits),
        returns_total=sum(c.total for c in credits),
    )


@contextmanager
def _bar(progress: ProgressFactory | None, total: int, desc: str) -> Iterator[Progress | None]:
    if progress is None:
        yield None
        return
    with progress(total, desc) as update:
        yield update


def _members_load(
    folder: Path, history: History, now: datetime, progress: ProgressFactory | None
) -> MemberImportResult:
    path = folder / "peserta.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(MEMBER_COLUMNS)
        for enrolment in history.enrolments:
            writer.writerow(_member_row(enrolment.person, enrolment.job))
    with _bar(progress, len(history.enrolments), "peserta demo") as update:
        return members_import(path=path, as_of=history.as_of, now=now, progress=update)


def _member_row(person: Person, job: Job) -> list[str]:
    values = {
        "kpj": job.kpj, "nik": person.nik, "name": person.name, "birth_date": person.birth_date.isoformat(),
        "sex": "P" if person.sex == "F" else "L", "mother_maiden_name": person.mother_maiden_name,
        "phone": person.phone_written, "email": person.email, "npp": job.employer.npp,
        "employer_name": job.employer.name, "start_date": job.start.isoformat(),
    }
    return [values[column] for column in MEMBER_COLUMNS]


def _contributions_load(folder: Path, history: History, progress: ProgressFactory | None) -> None:
    """One wage-report file per year, as a year's reports would arrive, imported oldest first."""
    by_year: dict[int, list[ContributionRow]] = defaultdict(list)
    for row in history.contributions:
        by_year[row.period.year].append(row)
    with _bar(progress, len(history.contributions), "iuran demo") as update:
        for year in sorted(by_year):
            path = folder / f"iuran-{year}.csv"
            with path.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(CONTRIBUTION_COLUMNS)
                writer.writerows(_contribution_row(row) for row in by_year[year])
            contributions_import(path=path, as_of=history.as_of, progress=update)


def _contribution_row(row: ContributionRow) -> list[str]:
    values = {"npp": row.npp, "period": format_period(row.period), "kpj": row.kpj, "wage": str(row.wage)}
    return [values[column] for column in CONTRIBUTION_COLUMNS]


def _rates_declare(as_of: date) -> tuple[tuple[int, str], ...]:
    """Illustrative rates for the complete years after 2020 that have no declared rate yet."""
    declared = []
    last_rate = ILLUSTRATIVE_RATES[max(ILLUSTRATIVE_RATES)]
    for year in range(2021, as_of.year):
        if DeclaredRate.objects.filter(year=year).exists():
            continue
        rate = ILLUSTRATIVE_RATES.get(year, last_rate)
        rate_declare(year=year, rate_percent=rate, note=ILLUSTRATIVE_NOTE)
        declared.append((year, rate))
    return tuple(declared)
