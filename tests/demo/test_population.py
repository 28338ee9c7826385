"""The demo population: deterministic, valid identities, and showcase members that behave as promised
once loaded through the real services."""

from collections import defaultdict
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saldo.contributions.selectors import Status, membership_status
from saldo.core.errors import SaldoError
from saldo.core.periods import add_months, last_complete_period
from saldo.demo.contacts import OPERATOR_PREFIXES
from saldo.demo.loading import ILLUSTRATIVE_NOTE, demo_load
from saldo.demo.population import (
    DEFAULT_SEED,
    SHOWCASE_COUNT,
    history_build,
    people_generate,
    showcase_members,
)
from saldo.demo.wages import provincial_minimum
from saldo.ledger.checks import ledger_mismatches
from saldo.registry.models import Membership, Person
from saldo.registry.services import MEMBER_COLUMNS, member_row_parse
from saldo.registry.validators import PROVINCE_CODES, validate_nik
from saldo.returns.models import DeclaredRate
from saldo.statements.selectors import statement_get

AS_OF = date(2026, 11, 26)
EARLY_AS_OF = date(2024, 3, 10)
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
MEMBERS = 80


@pytest.fixture(scope="module")
def people():
    return people_generate(members=MEMBERS, seed=DEFAULT_SEED)


def _member_rows(history) -> dict[str, tuple]:
    """KPJ -> everything the members file says about it."""
    return {
        e.job.kpj: (e.person.nik, e.person.name, e.person.birth_date, e.person.sex,
                    e.person.mother_maiden_name, e.person.phone, e.person.email, e.job.employer.npp,
                    e.job.employer.name, e.job.start)
        for e in history.enrolments
    }


def _raw_row(enrolment) -> dict[str, str]:
    person, job = enrolment.person, enrolment.job
    return dict(zip(MEMBER_COLUMNS, [
        job.kpj, person.nik, person.name, person.birth_date.isoformat(), "P" if person.sex == "F" else "L",
        person.mother_maiden_name, person.phone_written, person.email, job.employer.npp, job.employer.name,
        job.start.isoformat(),
    ], strict=True))


# --- Determinism -----------------------------------------------------------------------------


def test_same_seed_gives_same_rows(people):
    again = people_generate(members=MEMBERS, seed=DEFAULT_SEED)
    first, second = history_build(people, as_of=AS_OF), history_build(again, as_of=AS_OF)
    assert _member_rows(first) == _member_rows(second)
    assert first.contributions == second.contributions
    assert first.ends == second.ends


def test_other_seed_gives_other_people(people):
    other = people_generate(members=MEMBERS, seed=DEFAULT_SEED + 1)
    assert {p.nik for p in people}.isdisjoint({p.nik for p in other})


def test_identities_do_not_depend_on_as_of(people):
    early = _member_rows(history_build(people, as_of=EARLY_AS_OF))
    late = _member_rows(history_build(people, as_of=AS_OF))
    assert {row[0] for row in early.values()} == {p.nik for p in people}
    for kpj, row in early.items():
        assert late[kpj] == row


def test_identities_do_not_depend_on_member_count(people):
    assert people_generate(members=10, seed=DEFAULT_SEED) == people[:10]
    assert [s.kpj for s in showcase_members()] == [p.jobs[-1].kpj for p in people[:SHOWCASE_COUNT]]


def test_history_runs_from_2019_to_the_last_complete_month(people):
    periods = [row.period for row in history_build(people, as_of=AS_OF).contributions]
    assert min(periods) == date(2019, 1, 1)
    assert max(periods) == last_complete_period(AS_OF)


# --- Valid, realistic identities -------------------------------------------------------------


def test_every_member_row_passes_the_import_rules(people):
    for line, enrolment in enumerate(history_build(people, as_of=AS_OF).enrolments, start=2):
        row, errors = member_row_parse(line, _raw_row(enrolment), as_of=AS_OF)
        assert errors == [], (enrolment.job.kpj, errors)
        assert row is not None


def test_every_nik_is_valid_and_matches_birth_date_and_sex(people):
    for person in people:
        assert validate_nik(person.nik, birth_date=person.birth_date, sex=person.sex) == []
        assert int(person.nik[:2]) in PROVINCE_CODES
        assert person.nik[:4] == person.home.code
        day = person.birth_date.day + (40 if person.sex == "F" else 0)
        assert person.nik[6:12] == f"{day:02d}{person.birth_date:%m%y}"
        assert person.nik[12:] != "0000"


def test_identifiers_are_unique(people):
    kpjs = [job.kpj for person in people for job in person.jobs]
    assert len(set(kpjs)) == len(kpjs)
    assert all(len(k) == 11 and k.isdigit() for k in kpjs)
    assert len({p.nik for p in people}) == len(people)
    assert len({p.phone for p in people}) == len(people)


def test_phones_use_real_operator_prefixes_and_most_people_have_email(people):
    prefixes = {prefix for prefix, _ in OPERATOR_PREFIXES}
    for person in people:
        assert person.phone.startswith("+628")
        assert "0" + person.phone[3:6] in prefixes
        assert 10 <= len(person.phone) - 2 <= 13  # national digits with the trunk 0
    assert sum(1 for p in people if p.email) > 0.6 * len(people)


def test_men_and_women_from_several_ethnic_groups(people):
    assert {p.sex for p in people} == {"M", "F"}
    assert len({p.ethnicity for p in people}) >= 6


def test_employers_have_eight_digit_npp_and_company_names(people):
    employers = {job.employer for person in people for job in person.jobs}
    assert all(len(e.npp) == 8 and e.npp.isdigit() for e in employers)
    forms = {"PT", "CV", "UD", "Koperasi", "Yayasan", "Klinik", "Toko"}
    assert all(e.name.split()[0] in forms for e in employers)
    assert len({e.npp for e in employers}) == len(employers)


def test_wages_are_at_least_the_ump_and_never_fall_within_a_job(people):
    jobs = {job.kpj: job for person in people for job in person.jobs}
    by_kpj = defaultdict(list)
    for row in history_build(people, as_of=AS_OF).contributions:
        assert row.wage >= provincial_minimum(jobs[row.kpj].employer.regency.province, row.period.year)
        by_kpj[row.kpj].append(row.wage)
    for wages in by_kpj.values():
        assert wages == sorted(wages)
    assert max(max(w) for w in by_kpj.values()) > 3 * min(min(w) for w in by_kpj.values())


def test_population_has_job_changes_leavers_never_reported_gaps_and_stops(people):
    history = history_build(people, as_of=AS_OF)
    ended = {kpj for kpj, _ in history.ends}
    multi = [p for p in people if len(p.jobs) > 1]
    unreported = [j for p in multi for j in p.jobs[:-1] if j.end and j.kpj not in ended]
    assert multi and unreported
    assert any(j.gaps for p in people[SHOWCASE_COUNT:] for j in p.jobs)
    assert any(p.stop_months for p in people[SHOWCASE_COUNT:])


# --- Loaded through the services -------------------------------------------------------------


@pytest.fixture
def seeded():
    return demo_load(members=60, as_of=AS_OF, now=NOW)


def test_showcase_1_is_a_woman_with_one_active_kpj_and_no_gaps(seeded):
    member = showcase_members()[0]
    assert member.sex == "F" and member.other_kpjs == ()
    assert Membership.objects.filter(person__nik=member.nik).count() == 1
    statement = statement_get(kpj=member.kpj, as_of=AS_OF)
    assert statement.status == Status.ACTIVE
    assert statement.months and not any(m.gap for m in statement.months)
    assert statement.months[0].period.year == 2019
    assert all(y.returns > 0 for y in statement.programmes["JHT"].years if 2019 <= y.year < AS_OF.year)


def test_showcase_2_is_a_man_with_two_ended_kpj_and_an_active_one(seeded):
    member = showcase_members()[1]
    assert member.sex == "M" and len(member.other_kpjs) == 2
    memberships = list(Membership.objects.filter(person__nik=member.nik).order_by("start_date"))
    assert [m.kpj for m in memberships] == [*member.other_kpjs, member.kpj]
    assert all(m.end_date is not None for m in memberships[:2]) and memberships[2].end_date is None
    assert len({m.employer_id for m in memberships}) == 3
    assert [membership_status(membership=m, as_of=AS_OF) for m in memberships] == [
        Status.INACTIVE, Status.INACTIVE, Status.ACTIVE,
    ]
    first, second, third = memberships
    assert first.end_date < second.start_date <= second.end_date < third.start_date


def test_showcase_3_has_one_inactive_kpj_with_gap_months(seeded):
    member = showcase_members()[2]
    assert Membership.objects.filter(person__nik=member.nik).count() == 1
    statement = statement_get(kpj=member.kpj, as_of=AS_OF)
    assert statement.status == Status.INACTIVE
    assert statement.end_date is None  # the employer never reported: inactive because no iuran came
    last = last_complete_period(AS_OF)
    recent = {add_months(last, -i) for i in range(3)}
    assert all(m.gap for m in statement.months if m.period in recent)
    earlier_gaps = [m for m in statement.months if m.gap and m.period < add_months(last, -12)]
    assert earlier_gaps
    assert statement.programmes["JHT"].balance > 0


def test_showcase_identities_are_what_the_registry_holds(seeded):
    for member in showcase_members():
        person = Person.objects.get(nik=member.nik)
        assert (person.name, person.birth_date, person.sex, person.phone, person.email) == (
            member.name, member.birth_date, member.sex, member.phone, member.email,
        )


def test_seeded_ledger_is_consistent_and_rates_are_labelled(seeded):
    assert ledger_mismatches() == []
    assert seeded.years_credited == tuple(range(2019, AS_OF.year))
    assert seeded.persons == 60 and seeded.memberships == Membership.objects.count()
    for year in range(2021, AS_OF.year):
        assert DeclaredRate.objects.get(year=year).note == ILLUSTRATIVE_NOTE
    assert DeclaredRate.objects.get(year=2019).note != ILLUSTRATIVE_NOTE


def test_load_refuses_a_database_in_use(seeded):
    with pytest.raises(SaldoError):
        demo_load(members=10, as_of=AS_OF, now=NOW)


def test_load_refuses_too_early_an_as_of():
    with pytest.raises(SaldoError):
        demo_load(members=10, as_of=date(2023, 12, 31), now=NOW)
    assert not Membership.objects.exists()


# --- The command -----------------------------------------------------------------------------


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


def test_command_prints_summary_and_showcase_members_then_if_empty_skips():
    output = _seed("--members", "20", "--as-of", "2025-06-20")
    assert "20 orang" in output
    for member in showcase_members():
        line = f"KPJ {member.kpj}  NIK {member.nik}  {member.name}  lahir {member.birth_date:%d-%m-%Y}"
        assert line in output
        assert member.phone in output
    assert "seed dilewati" in _seed("--members", "20", "--as-of", "2025-06-20", "--if-empty")
    with pytest.raises(CommandError):
        _seed("--members", "20", "--as-of", "2025-06-20")
    assert Person.objects.count() == 20
