"""Identifier rules (domain.md §1): NIK, KPJ, NPP, phone, names, sex."""

from datetime import date

import pytest

from saldo.core.errors import FieldError
from saldo.registry.validators import (
    nik_birth_date,
    nik_sex,
    normalize_name,
    normalize_phone,
    normalize_sex,
    validate_email,
    validate_kpj,
    validate_name,
    validate_nik,
    validate_npp,
    validate_phone,
)

# 32 73 01 (Jawa Barat, Kota Bandung, kecamatan 01); born 17-08-1990; serial 0001.
MAN = "3273011708900001"
WOMAN = "3273015708900001"  # same date, day + 40


def nik_messages(nik: str, **kwargs) -> list[str]:
    errors = validate_nik(nik, **kwargs)
    assert all(e.field == "nik" for e in errors)
    return [e.message for e in errors]


# --- NIK: shape -------------------------------------------------------------------------------


def test_a_well_formed_nik_of_a_man_is_valid():
    assert validate_nik(MAN) == []


def test_a_well_formed_nik_of_a_woman_is_valid():
    assert validate_nik(WOMAN) == []


@pytest.mark.parametrize(
    "nik",
    ["327301170890001", "32730117089000011", "", "3273O11708900001", "3273-11708900001", " 327301170890001"],
    ids=["15-digits", "17-digits", "empty", "letter-O", "dash", "leading-space"],
)
def test_a_nik_must_be_exactly_16_digits(nik):
    assert validate_nik(nik) == [FieldError("nik", "NIK harus 16 angka")]


@pytest.mark.parametrize("province", ["00", "10", "20", "37", "99"])
def test_a_nik_with_an_unknown_province_code_is_refused(province):
    assert nik_messages(province + MAN[2:]) == [f"kode provinsi {province} pada NIK tidak dikenal"]


@pytest.mark.parametrize("province", ["11", "19", "21", "31", "36", "51", "53", "61"])
def test_the_provinces_listed_in_the_domain_are_known(province):
    assert validate_nik(province + MAN[2:]) == []


@pytest.mark.parametrize("nik", ["3200011708900001", "3273001708900001"], ids=["regency-00", "kecamatan-00"])
def test_a_nik_region_with_a_00_regency_or_kecamatan_is_refused(nik):
    assert nik_messages(nik) == ["kode kabupaten/kota atau kecamatan pada NIK tidak boleh 00"]


def test_a_nik_serial_starts_at_0001():
    assert nik_messages(MAN[:12] + "0000") == ["nomor urut NIK dimulai dari 0001"]


def test_every_problem_of_a_nik_is_reported_not_just_the_first():
    nik = "99" + "00" + "01" + "170890" + "0000"
    assert len(validate_nik(nik)) == 3


# --- NIK: the encoded birth date -------------------------------------------------------------


@pytest.mark.parametrize("day", ["41", "57", "71"])
def test_women_add_40_to_the_day_of_birth(day):
    assert validate_nik("327301" + day + "0190" + "0001") == []


@pytest.mark.parametrize("day", ["00", "32", "40", "72", "99"])
def test_a_day_outside_01_31_and_41_71_is_refused(day):
    assert nik_messages("327301" + day + "0190" + "0001") == [
        "tanggal lahir pada NIK tidak valid (01-31, perempuan 41-71)"
    ]


@pytest.mark.parametrize(
    "ddmmyy", ["310299", "300290", "310490", "710490", "011390", "010090", "290297"],
    ids=["31-feb", "30-feb", "31-apr", "31-apr-woman", "month-13", "month-00", "29-feb-1997"],
)
def test_a_nik_encoding_a_date_that_does_not_exist_is_refused(ddmmyy):
    assert nik_messages("327301" + ddmmyy + "0001") == ["tanggal lahir pada NIK bukan tanggal yang ada"]


def test_29_february_00_is_valid_because_2000_was_a_leap_year():
    nik = "3273012902000001"
    assert validate_nik(nik) == []
    assert validate_nik(nik, birth_date=date(2000, 2, 29), sex="M") == []


def test_29_february_00_is_2000_never_1900_which_was_not_a_leap_year():
    nik = "3273016902000001"  # a woman
    assert nik_birth_date(nik, century=1900) is None
    assert nik_birth_date(nik, century=2000) == date(2000, 2, 29)


def test_the_encoded_birth_date_is_read_in_either_century():
    assert nik_birth_date(WOMAN, century=1900) == date(1990, 8, 17)
    assert nik_birth_date(WOMAN, century=2000) == date(2090, 8, 17)
    assert validate_nik("3273010101050001", birth_date=date(2005, 1, 1)) == []
    assert validate_nik("3273010101500001", birth_date=date(1950, 1, 1)) == []


def test_the_nik_must_match_the_stored_birth_date():
    assert nik_messages(MAN, birth_date=date(1990, 8, 18)) == [
        "tanggal lahir pada NIK tidak sama dengan tanggal lahir"
    ]


def test_a_nik_matching_the_stored_birth_date_and_sex_is_valid():
    assert validate_nik(MAN, birth_date=date(1990, 8, 17), sex="M") == []
    assert validate_nik(WOMAN, birth_date=date(1990, 8, 17), sex="F") == []


@pytest.mark.parametrize(("nik", "sex"), [(MAN, "F"), (WOMAN, "M")])
def test_the_nik_must_match_the_stored_sex(nik, sex):
    assert nik_messages(nik, sex=sex) == ["jenis kelamin tidak sesuai dengan NIK (perempuan: tanggal +40)"]


def test_the_sex_is_read_from_the_day_of_birth():
    assert (nik_sex(MAN), nik_sex(WOMAN)) == ("M", "F")


# --- KPJ and NPP -------------------------------------------------------------------------------


def test_a_kpj_is_11_digits():
    assert validate_kpj("12345678901") == []


@pytest.mark.parametrize("kpj", ["1234567890", "123456789012", "1234567890A", "", "12345 67890"])
def test_anything_else_is_not_a_kpj(kpj):
    assert validate_kpj(kpj) == [FieldError("kpj", "nomor KPJ harus 11 angka")]


def test_an_npp_is_8_digits():
    assert validate_npp("12345678") == []


@pytest.mark.parametrize("npp", ["1234567", "123456789", "1234567X", ""])
def test_anything_else_is_not_an_npp(npp):
    assert validate_npp(npp) == [FieldError("npp", "NPP harus 8 angka")]


# --- phone -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("0812.3456.7890", "+6281234567890"),
        ("(0812) 3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62-812-3456-7890", "+6281234567890"),
        (" 0812 3456 7890 ", "+6281234567890"),
        ("0812345678", "+62812345678"),  # 10 digits, the shortest
        ("0812345678901", "+62812345678901"),  # 13 digits, the longest
        ("08551500910", "+628551500910"),
    ],
)
def test_indonesian_mobile_numbers_are_normalised_to_plus_62(raw, expected):
    assert normalize_phone(raw) == expected
    assert validate_phone(raw) == []


@pytest.mark.parametrize(
    "raw",
    [
        "021-5551234",  # Jakarta landline
        "+62 21 555 1234",
        "02155512345",
        "081234567",  # 9 digits
        "08123456789012",  # 14 digits
        "+628123456789012",
        "0812-3456-ABCD",
        "O81234567890",
        "81234567890",  # trunk 0 missing
        "",
        "+",
    ],
)
def test_landlines_wrong_lengths_and_letters_are_not_mobile_numbers(raw):
    assert normalize_phone(raw) is None
    message = "nomor ponsel harus 10-13 angka diawali 08, 628 atau +628"
    assert validate_phone(raw) == [FieldError("phone", message)]


# --- email, names, sex -------------------------------------------------------------------------


def test_email_addresses_are_checked():
    assert validate_email("siti@example.com") == []
    assert validate_email("siti@") == [FieldError("email", "alamat email tidak valid")]


@pytest.mark.parametrize(
    "name", ["Siti Aminah", "BUDI", "Drs. H. Ahmad, S.E.", "Ni'mah", "Abdul-Rahman", "X"]
)
def test_names_of_letters_spaces_and_punctuation_are_valid(name):
    assert validate_name(name) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "nama wajib diisi"),
        ("   ", "nama wajib diisi"),
        ("A" * 101, "nama paling panjang 100 huruf"),
        ("Siti2", "nama hanya boleh berisi huruf, spasi, titik, koma, apostrof dan tanda hubung"),
        ("Siti@Aminah", "nama hanya boleh berisi huruf, spasi, titik, koma, apostrof dan tanda hubung"),
        ("-Siti", "nama hanya boleh berisi huruf, spasi, titik, koma, apostrof dan tanda hubung"),
    ],
)
def test_bad_names_are_refused_with_a_reason(name, message):
    assert validate_name(name) == [FieldError("name", message)]


def test_a_name_error_names_the_column_it_came_from():
    errors = validate_name("", field="mother_maiden_name")
    assert errors == [FieldError("mother_maiden_name", "nama wajib diisi")]


def test_names_are_stored_upper_case_and_single_spaced():
    assert normalize_name("  siti   aminah ") == "SITI AMINAH"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("L", "M"), ("l", "M"), ("M", "M"), ("Laki-laki", "M"), (" LAKI-LAKI ", "M"),
        ("P", "F"), ("p", "F"), ("F", "F"), ("W", "F"), ("Perempuan", "F"),
        ("X", None), ("", None), ("Pria", None),
    ],
)
def test_sex_is_normalised_to_m_or_f(raw, expected):
    assert normalize_sex(raw) == expected


# --- identifiers are ASCII digits ----------------------------------------------------------------


def fullwidth(digits: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in digits)


@pytest.mark.parametrize(
    ("validate", "value"),
    [
        (validate_kpj, fullwidth("12345678901")),
        (validate_kpj, "1234567890\n"),
        (validate_npp, fullwidth("12345678")),
        (validate_npp, "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668"),  # Arabic-Indic digits
        (validate_nik, fullwidth(MAN)),
        (validate_nik, MAN[:15] + "\n"),
    ],
    ids=["kpj-fullwidth", "kpj-newline", "npp-fullwidth", "npp-arabic-indic", "nik-fullwidth", "nik-newline"],
)
def test_identifiers_are_ascii_digits_only(validate, value):
    assert validate(value) != []
