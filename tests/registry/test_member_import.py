"""Importing members from CSV: normalised data, all-or-nothing, every bad row reported, re-import a no-op."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from saldo.core.errors import ValidationError
from saldo.ledger.models import Account
from saldo.registry.models import Employer, Membership, Person
from saldo.registry.services import MemberImportResult, members_import
from tests.factories import MEMBER_HEADER, make_employer, make_member, member_csv_row, nik_for

AS_OF = date(2024, 6, 10)
BUDI_NIK = nik_for(date(1985, 3, 12), "M", serial=1)
SITI_NIK = nik_for(date(1990, 8, 17), "F", serial=2)


def budi(**kwargs) -> str:
    return member_csv_row(**({"kpj": "10000000001", "nik": BUDI_NIK} | kwargs))


def siti(**kwargs) -> str:
    defaults = {
        "kpj": "10000000002",
        "nik": SITI_NIK,
        "name": "siti   aminah",
        "birth_date": "17-08-1990",
        "sex": "P",
        "mother_maiden_name": "ratna",
        "phone": "+62 857 1111 2222",
        "email": "",
        "npp": "87654321",
        "employer_name": "CV  Sinar Abadi",
        "start_date": "03/05/2021",
    }
    return member_csv_row(**(defaults | kwargs))


def run(path: str) -> MemberImportResult:
    return members_import(path=path, as_of=AS_OF, now=timezone.now())


def counts() -> dict[str, int]:
    return {
        "employers": Employer.objects.count(),
        "persons": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "accounts": Account.objects.count(),
    }


def rejected(path: str) -> list[tuple[int, str]]:
    """Import a file that must be refused; return its errors as (line, column); assert nothing was stored."""
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        run(path)
    assert counts() == before
    assert all(e.message for e in excinfo.value.errors)
    return [(e.line, e.field) for e in excinfo.value.errors]


@pytest.fixture
def good_file(tmp_csv):
    return tmp_csv(
        "members.csv",
        [
            MEMBER_HEADER,
            budi(email="Budi@Example.COM", employer_name="PT  Maju Jaya"),
            siti(),
            budi(kpj="10000000003", npp="87654321", employer_name="CV Sinar Abadi", start_date="2022-01-01"),
        ],
    )


# --- the happy path ----------------------------------------------------------------------------


def test_a_good_file_creates_employers_persons_and_memberships(good_file):
    assert run(good_file) == MemberImportResult(
        rows=3, employers_created=2, persons_created=2, memberships_created=3
    )


def test_personal_data_is_stored_normalised(good_file):
    run(good_file)
    people = Person.objects.order_by("nik").values(
        "nik", "name", "birth_date", "sex", "mother_maiden_name", "phone", "email"
    )
    assert list(people) == [
        {
            "nik": BUDI_NIK,
            "name": "BUDI SANTOSO",
            "birth_date": date(1985, 3, 12),
            "sex": "M",
            "mother_maiden_name": "SRI WAHYUNI",
            "phone": "+6281234567890",
            "email": "budi@example.com",
        },
        {
            "nik": SITI_NIK,
            "name": "SITI AMINAH",
            "birth_date": date(1990, 8, 17),
            "sex": "F",
            "mother_maiden_name": "RATNA",
            "phone": "+6285711112222",
            "email": "",
        },
    ]


def test_employer_names_are_stored_upper_case_single_spaced(good_file):
    run(good_file)
    assert dict(Employer.objects.values_list("npp", "name")) == {
        "12345678": "PT MAJU JAYA",
        "87654321": "CV SINAR ABADI",
    }


def test_one_person_may_hold_several_kpj_one_per_employer(good_file):
    run(good_file)
    memberships = Membership.objects.order_by("kpj").values_list(
        "kpj", "person__nik", "employer__npp", "start_date"
    )
    assert list(memberships) == [
        ("10000000001", BUDI_NIK, "12345678", date(2020, 1, 1)),
        ("10000000002", SITI_NIK, "87654321", date(2021, 5, 3)),
        ("10000000003", BUDI_NIK, "87654321", date(2022, 1, 1)),
    ]


def test_every_new_membership_gets_an_empty_jht_and_jp_account(good_file):
    run(good_file)
    accounts = Account.objects.order_by("membership__kpj", "programme").values_list(
        "membership__kpj", "programme", "balance"
    )
    assert list(accounts) == [
        (kpj, programme, 0)
        for kpj in ("10000000001", "10000000002", "10000000003")
        for programme in ("JHT", "JP")
    ]


def test_new_memberships_have_no_end_date(good_file):
    run(good_file)
    assert set(Membership.objects.values_list("end_date", flat=True)) == {None}


def test_re_importing_the_same_file_creates_nothing(good_file):
    run(good_file)
    before = counts()
    assert run(good_file) == MemberImportResult(
        rows=3, employers_created=0, persons_created=0, memberships_created=0
    )
    assert counts() == before


def test_a_file_adding_one_member_to_known_ones_creates_only_that_one(tmp_csv, good_file):
    run(good_file)
    grown = tmp_csv(
        "more.csv", [MEMBER_HEADER, budi(), siti(), siti(kpj="10000000004", start_date="2023-01-02")]
    )
    assert run(grown) == MemberImportResult(
        rows=3, employers_created=0, persons_created=0, memberships_created=1
    )


def test_columns_may_come_in_any_order_and_any_case(tmp_csv):
    header = MEMBER_HEADER.split(",")
    row = budi().split(",")
    order = list(reversed(range(len(header))))
    path = tmp_csv(
        "reordered.csv", [",".join(header[i].upper() for i in order), ",".join(row[i] for i in order)]
    )
    assert run(path).memberships_created == 1
    assert Membership.objects.get().person.nik == BUDI_NIK


def test_a_member_starting_on_the_15th_birthday_is_accepted(tmp_csv):
    assert run(tmp_csv("m.csv", [MEMBER_HEADER, budi(start_date="2000-03-12")])).memberships_created == 1


def test_blank_lines_are_skipped(tmp_csv):
    assert run(tmp_csv("m.csv", [MEMBER_HEADER, "", budi(), "  ", siti()])).rows == 2


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + MEMBER_HEADER + "\n" + budi() + "\n").encode("utf-8"))
    assert run(str(path)).memberships_created == 1


# --- rows refused, and nothing stored -----------------------------------------------------------


def test_a_row_with_the_wrong_number_of_columns_is_refused(tmp_csv):
    assert rejected(tmp_csv("m.csv", [MEMBER_HEADER, budi(), budi(kpj="10000000009") + ",extra"])) == [
        (3, "*")
    ]


def test_a_file_with_a_wrong_header_is_refused_at_line_1(tmp_csv):
    header = MEMBER_HEADER.replace("mother_maiden_name", "mother")
    assert rejected(tmp_csv("m.csv", [header, budi()])) == [(1, "header")]


def test_a_header_missing_a_column_names_it(tmp_csv):
    header = MEMBER_HEADER.replace(",email", "")
    with pytest.raises(ValidationError) as excinfo:
        run(tmp_csv("m.csv", [header, budi()]))
    assert "email" in excinfo.value.errors[0].message


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert rejected(str(path)) == [(1, "file")]


def test_a_file_that_is_not_utf8_is_refused_naming_the_line(tmp_csv):
    path = tmp_csv("latin1.csv", [MEMBER_HEADER, budi(), siti(name="Siti Aminah Böhm")], encoding="latin-1")
    assert rejected(path) == [(3, "file")]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (budi(nik="327301120385001"), "nik"),  # 15 digits
        (budi(nik="3273011203850000"), "nik"),  # serial 0000
        (budi(nik=nik_for(date(1985, 3, 13), "M", serial=1)), "nik"),  # another birth date
        (budi(nik=nik_for(date(1985, 3, 12), "F", serial=1)), "nik"),  # a woman's NIK for a man
        (budi(kpj="1000000001"), "kpj"),
        (budi(npp="1234567"), "npp"),
        (budi(name="Budi 2"), "name"),
        (budi(mother_maiden_name=""), "mother_maiden_name"),
        (budi(employer_name=""), "employer_name"),
        (budi(sex="X"), "sex"),
        (budi(phone="021-5551234"), "phone"),
        (budi(email="budi@"), "email"),
        (budi(start_date="2020-13-01"), "start_date"),
        (budi(start_date="31-02-2020"), "start_date"),
        (budi(start_date="2024-06-11"), "start_date"),  # the day after as-of
        (budi(start_date="2000-03-11"), "start_date"),  # the day before the 15th birthday
    ],
    ids=[
        "nik-short",
        "nik-serial-0000",
        "nik-other-birth-date",
        "nik-other-sex",
        "kpj-10-digits",
        "npp-7-digits",
        "name-digit",
        "mother-empty",
        "employer-empty",
        "sex-unknown",
        "phone-landline",
        "email-bad",
        "start-month-13",
        "start-31-feb",
        "start-future",
        "start-under-15",
    ],
)
def test_a_row_breaking_a_rule_is_refused_naming_line_and_column(tmp_csv, row, column):
    assert rejected(tmp_csv("m.csv", [MEMBER_HEADER, siti(), row])) == [(3, column)]


def test_a_birth_date_in_the_future_is_refused(tmp_csv):
    row = budi(nik=nik_for(date(2024, 7, 1), "M", serial=1), birth_date="2024-07-01", start_date="2024-06-01")
    assert (3, "birth_date") in rejected(tmp_csv("m.csv", [MEMBER_HEADER, siti(), row]))


def test_every_problem_in_a_row_is_reported(tmp_csv):
    row = budi(kpj="1", npp="2", phone="abc", email="x")
    assert sorted(rejected(tmp_csv("m.csv", [MEMBER_HEADER, row]))) == [
        (2, "email"),
        (2, "kpj"),
        (2, "npp"),
        (2, "phone"),
    ]


def test_every_bad_row_is_listed_in_line_order_and_good_rows_are_not_stored(tmp_csv):
    path = tmp_csv(
        "m.csv",
        [
            MEMBER_HEADER,
            budi(),
            siti(kpj="12"),
            budi(kpj="10000000003", phone="12345"),
            siti(kpj="10000000004", start_date="2030-01-01"),
            budi(kpj="10000000005") + ",",
        ],
    )
    assert rejected(path) == [(3, "kpj"), (4, "phone"), (5, "start_date"), (6, "*")]
    assert counts() == {"employers": 0, "persons": 0, "memberships": 0, "accounts": 0}


def test_a_kpj_twice_in_one_file_is_refused_on_the_second_line(tmp_csv):
    with pytest.raises(ValidationError) as excinfo:
        run(tmp_csv("m.csv", [MEMBER_HEADER, budi(), siti(), budi()]))
    assert [(e.line, e.field, e.message) for e in excinfo.value.errors] == [
        (4, "kpj", "KPJ ganda; sudah ada di baris 2")
    ]


def test_one_nik_with_different_personal_data_in_one_file_is_refused(tmp_csv):
    path = tmp_csv("m.csv", [MEMBER_HEADER, budi(), budi(kpj="10000000003", mother_maiden_name="Lain")])
    assert rejected(path) == [(3, "nik")]


def test_one_npp_with_two_employer_names_in_one_file_is_refused(tmp_csv):
    path = tmp_csv("m.csv", [MEMBER_HEADER, budi(), siti(npp="12345678", employer_name="PT Lain")])
    assert rejected(path) == [(3, "employer_name")]


# --- rows contradicting the registry -----------------------------------------------------------


def test_a_nik_already_registered_with_other_personal_data_is_refused(tmp_csv):
    run(tmp_csv("first.csv", [MEMBER_HEADER, budi()]))
    assert rejected(tmp_csv("second.csv", [MEMBER_HEADER, siti(), budi(kpj="10000000003", phone="")])) == [
        (3, "nik")
    ]


def test_a_kpj_already_registered_for_another_person_is_refused(tmp_csv):
    run(tmp_csv("first.csv", [MEMBER_HEADER, budi()]))
    assert rejected(tmp_csv("second.csv", [MEMBER_HEADER, siti(kpj="10000000001")])) == [(2, "kpj")]


def test_a_kpj_already_registered_with_another_start_date_is_refused(tmp_csv):
    run(tmp_csv("first.csv", [MEMBER_HEADER, budi()]))
    assert rejected(tmp_csv("second.csv", [MEMBER_HEADER, budi(start_date="2020-02-01")])) == [(2, "kpj")]


def test_an_npp_already_registered_under_another_name_is_refused(tmp_csv):
    make_employer(npp="87654321", name="CV Lain")
    assert rejected(tmp_csv("m.csv", [MEMBER_HEADER, budi(), siti()])) == [(3, "employer_name")]


def test_members_of_an_employer_registered_earlier_join_it(tmp_csv):
    employer = make_employer(npp="12345678", name="PT Maju Jaya")
    make_member(employer=employer)
    result = run(tmp_csv("m.csv", [MEMBER_HEADER, budi()]))
    assert (result.employers_created, result.memberships_created) == (0, 1)
    assert Membership.objects.get(kpj="10000000001").employer == employer


def test_an_employer_name_differing_only_in_case_is_the_same_employer(tmp_csv):
    make_employer(npp="12345678", name="PT MAJU JAYA")
    assert run(tmp_csv("m.csv", [MEMBER_HEADER, budi(employer_name="PT Maju Jaya")])).memberships_created == 1


def test_a_member_born_on_the_31st_cannot_start_before_the_15th_birthday(tmp_csv):
    row = budi(
        nik=nik_for(date(2000, 3, 31), "M", serial=1), birth_date="2000-03-31", start_date="2015-03-28"
    )
    assert rejected(tmp_csv("m.csv", [MEMBER_HEADER, row])) == [(2, "start_date")]


# --- through the command line ------------------------------------------------------------------


def test_import_members_command_reports_what_it_created(good_file):
    out = StringIO()
    call_command("import_members", good_file, "--as-of", "2024-06-10", stdout=out, stderr=StringIO())
    assert out.getvalue().strip() == "3 baris: 3 KPJ baru, 2 orang baru, 2 pemberi kerja baru."


def test_import_members_command_lists_every_bad_line_and_exits_1(tmp_csv):
    path = tmp_csv("m.csv", [MEMBER_HEADER, budi(kpj="1"), siti(phone="021")])
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_members", path, "--as-of", "2024-06-10", stdout=StringIO(), stderr=err)
    assert excinfo.value.returncode == 1
    assert err.getvalue().splitlines() == [
        "baris 2, kolom kpj: nomor KPJ harus 11 angka",
        "baris 3, kolom phone: nomor ponsel harus 10-13 angka diawali 08, 628 atau +628",
    ]
    assert counts()["memberships"] == 0
