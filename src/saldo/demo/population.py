"""The demo population: people, their KPJ cards and careers, planned from a seed alone.

Person i is drawn from its own generator, seeded with (seed, i), and the employer pool from
(seed, "employers"). Identities (KPJ, NIK, name, birth date, phone, employer) therefore never
depend on --as-of nor on --members: person 0 is the same in a seed of 50 and of 100,000, and the
README can list it. The only uniqueness checks run in index order, so earlier people never
change either. `history_build` then cuts the plan at an as-of date: which months were paid.

People 0-2 are the showcase members (see `showcase_members`).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from saldo.core.periods import add_months, iter_periods, last_complete_period, month_end, month_start
from saldo.demo import contacts, names
from saldo.demo.employers import EmployerPlan, employer_pick, employer_pool
from saldo.demo.regions import REGENCY_BY_CODE, Regency
from saldo.demo.wages import monthly_wage
from saldo.registry.validators import FEMALE_DAY_OFFSET, normalize_name, normalize_phone

DEFAULT_SEED = 2757
HISTORY_START = date(2019, 1, 1)
# Everyone's first job starts by the end of 2023, so every person exists for any as-of from
# MIN_AS_OF; later job changes may fall after a given as-of and are then simply not there yet.
LAST_FIRST_START = date(2023, 12, 1)
LAST_JOB_START = date(2025, 12, 1)
GAP_HORIZON = date(2026, 12, 1)
MIN_AS_OF = date(2024, 1, 1)
SHOWCASE_COUNT = 3

ALREADY_EMPLOYED_SHARE = 0.45  # people already working when the demo history starts (Jan 2019)
JOB_COUNT_WEIGHTS = ((1, 67), (2, 25), (3, 8))
LEAVER_REPORTED_SHARE = 0.7  # old employers that report the leaver; the rest leave the KPJ open
STOPPED_SHARE = 0.12  # people who stopped working some months before the as-of date
PERSONAL_GAP_SHARE = 0.06  # jobs where the employer left the worker out of a report or two
BREAK_MONTHS = (0, 0, 1, 1, 2, 3, 4, 6, 9)  # months without a job between two jobs
EMAIL_SHARE = 0.82


@dataclass(frozen=True)
class Job:
    kpj: str
    employer: EmployerPlan
    start: date
    end: date | None  # last day of employment; None: employed for as long as the plan goes
    reported: bool  # the employer reports the leaver, so the KPJ gets an end date
    multiple: float  # wage as a multiple of the local minimum wage
    raise_rate: float  # yearly raise on top of the minimum's own rise
    gaps: frozenset[date]  # wage months the employer did not remit

    def wage(self, period: date) -> int:
        return monthly_wage(
            regency=self.employer.regency, year=period.year, multiple=self.multiple,
            raise_rate=self.raise_rate, years_in_job=period.year - self.start.year,
        )


@dataclass(frozen=True)
class Person:
    index: int
    nik: str
    name: str  # as an operator's file writes it; the registry stores it upper-case
    birth_date: date
    sex: str  # "M" or "F"
    mother_maiden_name: str
    phone_written: str
    phone: str  # normalised +628…
    email: str
    ethnicity: str
    home: Regency
    jobs: tuple[Job, ...]
    stop_months: int  # > 0: the last job stopped paying this many months before the last complete month
    stop_reported: bool  # …and the employer reported it (the KPJ gets an end date)


@dataclass(frozen=True)
class _Shape:
    """What a showcase member must look like."""

    sex: str | None
    jobs: int
    stop_months: int
    clean: bool  # no gap months at all
    forced_gaps: bool = False


_SHOWCASE_SHAPES = {
    0: _Shape("F", 1, 0, clean=True),
    1: _Shape("M", 3, 0, clean=True),
    2: _Shape(None, 1, 7, clean=False, forced_gaps=True),
}


class _Taken:
    """Identifiers already handed out, so later people never reuse one."""

    def __init__(self) -> None:
        self.niks: set[str] = set()
        self.kpjs: set[str] = set()
        self.phones: set[str] = set()
        self.emails: set[str] = set()


def people_generate(*, members: int, seed: int = DEFAULT_SEED) -> list[Person]:
    """The first `members` people of the population for `seed`, with their whole career plans."""
    pool = employer_pool(seed)
    taken = _Taken()
    return [_person(seed, index, pool, taken) for index in range(members)]


def _person(seed: int, index: int, pool: dict[str, list[EmployerPlan]], taken: _Taken) -> Person:
    rng = random.Random(f"saldo-demo:{seed}:person:{index}")
    shape = _SHOWCASE_SHAPES.get(index)
    group = names.ethnicity_pick(rng)
    sex = shape.sex if shape and shape.sex else ("M" if rng.random() < 0.56 else "F")
    birth = _birth_date(rng, latest=1998 if shape else 2004)
    name, clan = names.person_name(rng, group, sex)
    mother = names.mother_name(rng, group, clan)
    home = REGENCY_BY_CODE[names.weighted_pick(rng, group.homes)]
    nik = _nik(rng, home, birth, sex, taken.niks)
    national = _unique(taken.phones, lambda: contacts.phone_number(rng))
    written = contacts.phone_as_written(rng, national)
    email = ""
    if shape or rng.random() < EMAIL_SHARE:
        email = _unique_email(rng, taken.emails, contacts.email_address(rng, name, birth.year))
    jobs = _career(rng, birth, group, pool, taken.kpjs, shape)
    if shape:
        stop_months, stop_reported = shape.stop_months, False
    elif rng.random() < STOPPED_SHARE:
        stop_months, stop_reported = rng.randint(3, 30), rng.random() < 0.5
    else:
        stop_months, stop_reported = 0, False
    return Person(
        index=index, nik=nik, name=name, birth_date=birth, sex=sex, mother_maiden_name=mother,
        phone_written=written, phone=normalize_phone(written) or "", email=email, ethnicity=group.key,
        home=home, jobs=jobs, stop_months=stop_months, stop_reported=stop_reported,
    )


def _birth_date(rng: random.Random, *, latest: int) -> date:
    # Most formal-sector workers are in their late twenties to forties.
    year = int(rng.triangular(1970, latest + 0.999, min(1993, latest)))
    month = rng.randint(1, 12)
    day = rng.randint(1, month_end(date(year, month, 1)).day)
    return date(year, month, day)


def _nik(rng: random.Random, home: Regency, birth: date, sex: str, taken: set[str]) -> str:
    """Region of first issue, DDMMYY (+40 on the day for women), serial from 0001."""
    district = rng.randint(1, home.districts)
    day = birth.day + (FEMALE_DAY_OFFSET if sex == "F" else 0)
    serial = 1 + int(rng.random() ** 3 * 150)
    while True:
        nik = f"{home.code}{district:02d}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
        if nik not in taken:
            taken.add(nik)
            return nik
        serial += 1


def _unique(taken: set[str], draw: Callable[[], str]) -> str:
    value = draw()
    while value in taken:
        value = draw()
    taken.add(value)
    return value


def _unique_email(rng: random.Random, taken: set[str], email: str) -> str:
    local, domain = email.split("@")
    while email in taken:
        email = f"{local}{rng.randrange(1, 1000)}@{domain}"
    taken.add(email)
    return email


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _day_in(rng: random.Random, month: date) -> date:
    return month.replace(day=rng.randint(1, 28))


def _career(
    rng: random.Random, birth: date, group: names.Ethnicity, pool: dict[str, list[EmployerPlan]],
    kpjs: set[str], shape: _Shape | None,
) -> tuple[Job, ...]:
    if shape:
        count = shape.jobs
    else:
        count = rng.choices([c for c, _ in JOB_COUNT_WEIGHTS], weights=[w for _, w in JOB_COUNT_WEIGHTS])[0]
    start_month = _first_start(rng, birth, shape)
    jobs: list[Job] = []
    previous: Job | None = None
    for number in range(count):
        employer = _employer_next(rng, group, pool, previous, frozenset(j.employer.npp for j in jobs))
        start = _day_in(rng, start_month)
        end, next_month = None, None
        if number < count - 1:
            months = rng.randint(14, 20) if shape else rng.randint(8, 36)
            candidate = _day_in(rng, add_months(start_month, months - 1))
            next_month = add_months(candidate, 1 + (rng.randint(0, 2) if shape else rng.choice(BREAK_MONTHS)))
            # A next job past the plan's horizon does not happen: this one simply goes on.
            if next_month <= LAST_JOB_START:
                end = candidate
        job = Job(
            kpj=_unique(kpjs, lambda: str(rng.randrange(10**10, 10**11))),
            employer=employer,
            start=start,
            end=end,
            reported=True if shape else rng.random() < LEAVER_REPORTED_SHARE,
            multiple=_multiple(rng, previous),
            raise_rate=round(rng.uniform(0.0, 0.04), 3),
            gaps=_gaps(rng, employer, start_month, month_start(end) if end else GAP_HORIZON, shape),
        )
        jobs.append(job)
        if end is None or next_month is None:
            break
        start_month, previous = next_month, job
    return tuple(jobs)


def _first_start(rng: random.Random, birth: date, shape: _Shape | None) -> date:
    """The month the first job starts: at 18 at the earliest, and never before the history does."""
    adult = add_months(date(birth.year + 18, birth.month, 1), 1)
    earliest = max(HISTORY_START, adult)
    if shape:
        return add_months(earliest, rng.randint(0, 5))
    if earliest == HISTORY_START and rng.random() < ALREADY_EMPLOYED_SHARE:
        return HISTORY_START
    return add_months(earliest, rng.randint(0, _months_between(earliest, LAST_FIRST_START)))


def _employer_next(
    rng: random.Random, group: names.Ethnicity, pool: dict[str, list[EmployerPlan]], previous: Job | None,
    worked_for: frozenset[str],
) -> EmployerPlan:
    # Most job changes stay in the same town.
    if previous and rng.random() < 0.7:
        regency = previous.employer.regency.code
    else:
        regency = names.weighted_pick(rng, group.workplaces)
    return employer_pick(rng, pool[regency], avoid=worked_for)


def _multiple(rng: random.Random, previous: Job | None) -> float:
    """Wage / local minimum: many on the minimum itself, a long tail up to several times it."""
    if previous is not None:
        if previous.multiple == 1.0 and rng.random() < 0.5:
            return 1.0
        return round(max(1.0, previous.multiple * rng.uniform(1.0, 1.35)), 2)
    draw = rng.random()
    if draw < 0.30:
        return 1.0
    if draw < 0.70:
        return round(rng.uniform(1.0, 1.4), 2)
    if draw < 0.90:
        return round(rng.uniform(1.4, 2.5), 2)
    if draw < 0.98:
        return round(rng.uniform(2.5, 5.0), 2)
    return round(rng.uniform(5.0, 9.0), 2)


def _gaps(
    rng: random.Random, employer: EmployerPlan, first: date, last: date, shape: _Shape | None
) -> frozenset[date]:
    if shape and shape.clean:
        return frozenset()
    gaps = {p for p in employer.arrears if first <= p <= last}
    if shape and shape.forced_gaps:
        # A COVID-time run of three unpaid months, and one more later.
        covid = add_months(date(2020, 4, 1), rng.randint(0, 5))
        gaps.update(add_months(covid, i) for i in range(3))
        gaps.add(add_months(date(2022, 1, 1), rng.randint(0, 11)))
    elif rng.random() < PERSONAL_GAP_SHARE:
        span = _months_between(first, last)
        gaps.update(add_months(first, rng.randint(0, span)) for _ in range(rng.randint(1, 2)))
    return frozenset(gaps)


# --- Cutting the plan at an as-of date -------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    person: Person
    job: Job


@dataclass(frozen=True)
class ContributionRow:
    npp: str
    period: date
    kpj: str
    wage: int


@dataclass
class History:
    """What has happened by an as-of date: KPJ cards, the iuran paid, the leavers reported."""

    as_of: date
    enrolments: list[Enrolment]
    contributions: list[ContributionRow]
    ends: list[tuple[str, date]]  # (KPJ, end date)


def history_build(people: list[Person], *, as_of: date) -> History:
    """Every job started by the last complete month, its iuran up to that month, and its end."""
    last = last_complete_period(as_of)
    history = History(as_of, [], [], [])
    for person in people:
        for job in person.jobs:
            if month_start(job.start) > last:
                break
            history.enrolments.append(Enrolment(person, job))
            stop, end = _paid_until(person, job, last)
            history.contributions += [
                ContributionRow(job.employer.npp, period, job.kpj, job.wage(period))
                for period in iter_periods(job.start, stop)
                if period not in job.gaps
            ]
            if end is not None:
                history.ends.append((job.kpj, end))
    return history


def _paid_until(person: Person, job: Job, last: date) -> tuple[date, date | None]:
    """(last wage month paid, end date to report or None) for a job as seen at `last`."""
    if job.end is not None and month_start(job.end) <= last:
        return month_start(job.end), job.end if job.reported else None
    if job is person.jobs[-1] and person.stop_months:
        stop = max(month_start(job.start), add_months(last, -person.stop_months))
        return stop, month_end(stop) if person.stop_reported else None
    return last, None


# --- The showcase members --------------------------------------------------------------------


@dataclass(frozen=True)
class Showcase:
    role: str  # what to look for, in Bahasa Indonesia
    kpj: str  # the KPJ to try first
    other_kpjs: tuple[str, ...]
    nik: str
    name: str  # as stored (upper-case)
    birth_date: date
    sex: str
    phone: str  # as stored (+628…)
    email: str


_SHOWCASE_ROLES = (
    "perempuan, satu KPJ, aktif, iuran lengkap tanpa bolong",
    "laki-laki, tiga KPJ: dua sudah berakhir (pindah kerja), yang terakhir aktif",
    "satu KPJ non-aktif (iuran berhenti beberapa bulan terakhir) dan ada bulan bolong",
)


def showcase_members(*, seed: int = DEFAULT_SEED) -> list[Showcase]:
    """The three fixed showcase people of a seed; the same for every --members and --as-of."""
    people = people_generate(members=SHOWCASE_COUNT, seed=seed)
    return [
        Showcase(
            role=role, kpj=person.jobs[-1].kpj, other_kpjs=tuple(j.kpj for j in person.jobs[:-1]),
            nik=person.nik, name=normalize_name(person.name), birth_date=person.birth_date, sex=person.sex,
            phone=person.phone, email=person.email,
        )
        for role, person in zip(_SHOWCASE_ROLES, people, strict=True)
    ]
