"""Reading operator CSV files: strict UTF-8, an exact header, every problem reported by line."""

import hashlib
from datetime import date

import pytest

from saldo.core.csvfile import csv_open, parse_date
from saldo.core.errors import FieldError, ValidationError

COLUMNS = ("npp", "period", "kpj", "wage")


def problems(path) -> list[tuple[int, str]]:
    with pytest.raises(ValidationError) as excinfo:
        csv_open(path, expected=COLUMNS)
    return [(e.line, e.field) for e in excinfo.value.errors]


def test_rows_come_with_their_line_numbers_and_stripped_values(tmp_csv):
    path = tmp_csv("a.csv", ["npp,period,kpj,wage", "12345678, 2024-01 ,10000000001,5000000", "", "a,b,c"])
    assert list(csv_open(path, expected=COLUMNS).rows()) == [
        (2, {"npp": "12345678", "period": "2024-01", "kpj": "10000000001", "wage": "5000000"}, None),
        (4, None, FieldError("*", "baris berisi 3 kolom, seharusnya 4", 4)),
    ]


def test_the_header_may_be_in_any_order_and_case(tmp_csv):
    path = tmp_csv("a.csv", ["WAGE, Kpj ,period,npp", "1,2,3,4"])
    rows = list(csv_open(path, expected=COLUMNS).rows())
    assert rows == [(2, {"wage": "1", "kpj": "2", "period": "3", "npp": "4"}, None)]


def test_a_quoted_field_may_hold_a_comma(tmp_csv):
    path = tmp_csv("a.csv", ["npp,period,kpj,wage", '12345678,2024-01,10000000001,"5,000,000"'])
    assert next(csv_open(path, expected=COLUMNS).rows())[1]["wage"] == "5,000,000"


def test_the_file_fingerprint_is_its_sha256(tmp_csv):
    path = tmp_csv("a.csv", ["npp,period,kpj,wage"])
    assert csv_open(path, expected=COLUMNS).sha256 == hashlib.sha256(b"npp,period,kpj,wage\n").hexdigest()


@pytest.mark.parametrize(
    "header",
    ["npp,period,kpj", "npp,period,kpj,wage,extra", "npp,periode,kpj,wage", "npp,period,kpj,wage,wage"],
    ids=["missing", "extra", "misspelt", "twice"],
)
def test_a_header_that_is_not_exactly_the_columns_is_refused_at_line_1(tmp_csv, header):
    assert problems(tmp_csv("a.csv", [header, "1,2,3,4"])) == [(1, "header")]


def test_the_header_error_names_missing_and_unknown_columns(tmp_csv):
    with pytest.raises(ValidationError) as excinfo:
        csv_open(tmp_csv("a.csv", ["npp,periode,kpj,wage"]), expected=COLUMNS)
    message = excinfo.value.errors[0].message
    assert "kolom hilang: period" in message
    assert "kolom tidak dikenal: periode" in message


def test_an_empty_file_is_refused(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"")
    assert problems(tmp_path / "e.csv") == [(1, "file")]


def test_a_missing_file_is_refused(tmp_path):
    assert problems(tmp_path / "nothing.csv") == [(0, "file")]


def test_a_latin1_file_is_refused_at_the_line_of_the_first_bad_byte(tmp_csv):
    path = tmp_csv("a.csv", ["npp,period,kpj,wage", "1,2,3,4", "1,2,3,4", "1,2,3,Zoë"], encoding="latin-1")
    assert problems(path) == [(4, "file")]


def test_a_file_with_nul_characters_is_refused(tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"npp,period,kpj,wage\n1,2,3,\x004\n")
    assert problems(path) == [(0, "file")]


def test_a_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffnpp,period,kpj,wage\n1,2,3,4\n".encode())
    assert len(list(csv_open(path, expected=COLUMNS).rows())) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-02-29", date(2024, 2, 29)), ("29-02-2024", date(2024, 2, 29)), ("29/02/2024", date(2024, 2, 29))],
)
def test_dates_are_iso_or_indonesian_day_month_year(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-02-29", "tanggal tidak ada di kalender"),
        ("31-04-2024", "tanggal tidak ada di kalender"),
        ("2024/02/29", "format tanggal harus YYYY-MM-DD (atau DD-MM-YYYY)"),
        ("29-02-24", "format tanggal harus YYYY-MM-DD (atau DD-MM-YYYY)"),
        ("", "format tanggal harus YYYY-MM-DD (atau DD-MM-YYYY)"),
    ],
)
def test_other_dates_are_refused(text, message):
    with pytest.raises(ValueError) as excinfo:
        parse_date(text)
    assert str(excinfo.value) == message
