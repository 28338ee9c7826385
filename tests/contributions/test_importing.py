"""The two ways a wage report is staged agree: the plain way (PostgreSQL, the file as it is) is a
shortcut that stages exactly what the parsed way stages, and steps aside for any file the parsed
way would refuse or that is not plain, so the parsed way reports every bad row."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from saldo.contributions import importing
from saldo.contributions.services import contributions_import
from saldo.core import bulk
from saldo.core.csvfile import csv_open
from saldo.core.errors import ValidationError
from saldo.ledger.checks import ledger_mismatches
from saldo.ledger.models import Account
from tests.factories import make_employer, make_member

AS_OF = date(2024, 6, 10)
HEADER = "npp,period,kpj,wage"
A = "12345678"
GOOD = f"{A},2024-01,10000000001,5000025"
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the plain way is COPY: PostgreSQL")


def report(tmp_path, text: str, name: str = "iuran.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return csv_open(path, expected=importing.CONTRIBUTION_COLUMNS)


# --- which files are plain ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        (f"{HEADER}\n{GOOD}\n", 1),
        (f"{HEADER}\n{GOOD}\n{GOOD}", 2),  # no line ending after the last line
        (f"{HEADER}\r\n{GOOD}\r\n{GOOD}\r\n", 2),  # Windows line endings throughout
        (f"\ufeff{HEADER}\n{GOOD}\n", 1),  # a byte-order mark, as Excel writes
        (f"{HEADER}\n", 0),
        (f"{HEADER}\n{A},2024-13,1000000000,-5\n", 1),  # plain, though the parsed way would refuse it
    ],
)
def test_a_file_of_digits_commas_and_hyphens_under_the_exact_header_is_plain(tmp_path, text, rows):
    plain = importing.plain_report(report(tmp_path, text))
    assert plain is not None
    assert plain.rows == rows


@pytest.mark.parametrize(
    "text",
    [
        f'{HEADER}\n{A},2024-01,10000000001,"5000025"\n',  # quoted
        f"{HEADER}\n {A},2024-01,10000000001,5000025\n",  # spaces
        f"{HEADER}\n{A},2024-01,10000000001,5000025\t\n",
        f"{HEADER}\n\n{GOOD}\n",  # blank lines shift the line numbers
        f"{HEADER}\n{GOOD}\n\n",
        f"{HEADER}\r\n{GOOD}\r\n\r\n",
        f"{HEADER}\r\n{GOOD}\n{GOOD}\r\n",  # mixed line endings
        f"{HEADER}\n{GOOD}\r\n",
        f"{HEADER}\n{GOOD}\r{GOOD}\n",  # a lone carriage return
        f"{HEADER}\r\n{GOOD}\r",
        "kpj,npp,period,wage\n10000000001,12345678,2024-01,5000025\n",  # another column order
        "NPP,Period,KPJ,Wage\n" + GOOD + "\n",
        f"{HEADER}\n{A},2024-01,10000000001,5000025.50\n",
        f"{HEADER}\n{A},Juni 2024,10000000001,5000025\n",
        f"{HEADER}\n{A},2024-01,10000000001,５000025\n",  # a fullwidth digit
    ],
)
def test_anything_else_is_not_plain(tmp_path, text):
    assert importing.plain_report(report(tmp_path, text)) is None


# --- both ways stage the same rows ---------------------------------------------------------------


def staged_both_ways(tmp_path, lines: list[str]) -> tuple[list[tuple], list[tuple]]:
    """The rows each way stages from the same file, in line order (each in its own savepoint)."""
    csv_file = report(tmp_path, "\n".join([HEADER, *lines]) + "\n")
    max_wage = settings.SALDO["MAX_MONTHLY_WAGE"]
    columns = ", ".join(importing._STAGE_COLUMNS)
    with transaction.atomic():
        rows, errors = importing.rows_parse(csv_file, as_of=AS_OF, max_wage=max_wage)
        assert errors == []
        importing.rows_stage(rows, None)
        parsed = bulk.fetch_all(f"SELECT {columns} FROM {importing.STAGE} ORDER BY line")
        _count, source = importing.plain_stage(
            importing.plain_report(csv_file), as_of=AS_OF, max_wage=max_wage, progress=None
        )
        plain = bulk.fetch_all(f"SELECT {columns} FROM ({source}) s ORDER BY line")
        importing.stage_drop()
    return parsed, plain


@postgres_only
def test_both_ways_stage_the_same_iuran_across_rates_caps_and_rounding(tmp_path):
    lines = [
        f"{A},2015-06,10000000001,3000000",  # before JP
        f"{A},2015-07,10000000001,3000000",  # JP from July 2015
        f"{A},2024-01,10000000001,20000000",  # JP on the 9,559,600 cap
        f"{A},2024-03,10000000001,20000000",  # JP on the 10,042,300 cap
        f"{A},2024-02,10000000001,10042300",
        f"{A},2024-04,10000000001,5000025",  # every share ends in ,5 or more: rounded up
        f"{A},2024-05,10000000001,0005000000",  # leading zeros, as a spreadsheet may keep
        f"{A},2024-06,10000000002,1",
        f"{A},2024-06,10000000003,1000000000",  # the largest sane wage
    ]
    parsed, plain = staged_both_ways(tmp_path, lines)
    assert plain == parsed
    assert len(plain) == len(lines)


@postgres_only
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2015-06", "2015-07", "2020-12", "2024-02", "2024-03", "2024-06"]),
            st.integers(min_value=1, max_value=1_000_000_000),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_both_ways_stage_the_same_rows_for_any_wages(tmp_path, months):
    lines = [f"{A},{period},{10_000_000_000 + i:011d},{wage}" for i, (period, wage) in enumerate(months)]
    parsed, plain = staged_both_ways(tmp_path, lines)
    assert plain == parsed


# --- the plain way steps aside for what the parsed way refuses ---------------------------------


@postgres_only
@pytest.mark.parametrize(
    "line",
    [
        f"{A},2024-07,10000000001,5000000",  # in the future
        f"{A},2024-13,10000000001,5000000",
        f"{A},2024-00,10000000001,5000000",
        f"{A},1976-12,10000000001,5000000",  # too old to parse
        f"{A},1990-01,10000000001,5000000",  # before the rate table
        f"{A},2024-1,10000000001,5000000",
        f"{A},2024-011,10000000001,5000000",  # too long for the period column: COPY refuses
        f"{A},2024-01,10000000001,0",
        f"{A},2024-01,10000000001,000",
        f"{A},2024-01,10000000001,-5000000",
        f"{A},2024-01,10000000001,1000000001",  # over MAX_MONTHLY_WAGE
        f"{A},2024-01,10000000001,99999999999999999999",  # no bigint: COPY refuses
        f"{A},2024-01,10000000001,50-00",
        f"{A},2024-01,10000000001,",
        "1234567,2024-01,10000000001,5000000",
        "123456789,2024-01,10000000001,5000000",
        "1234-678,2024-01,10000000001,5000000",
        f"{A},2024-01,1000000000,5000000",
        f"{A},2024-01,1000000000-,5000000",
        f"{A},2024-01,10000000001",  # a field short
        f"{A},2024-01,10000000001,5000000,1",  # a field too many
    ],
)
def test_the_plain_way_refuses_a_row_the_parsed_way_refuses(tmp_path, line):
    csv_file = report(tmp_path, f"{HEADER}\n{GOOD}\n{line}\n")
    max_wage = settings.SALDO["MAX_MONTHLY_WAGE"]
    _rows, errors = importing.rows_parse(csv_file, as_of=AS_OF, max_wage=max_wage)
    assert [e.line for e in errors] == [3]
    plain = importing.plain_report(csv_file)
    assert plain is not None
    with pytest.raises(importing.PLAIN_REFUSED), transaction.atomic():
        importing.plain_stage(plain, as_of=AS_OF, max_wage=max_wage, progress=None)


@postgres_only
def test_the_plain_way_steps_aside_when_the_wage_ceiling_could_overflow_its_arithmetic(tmp_path):
    plain = importing.plain_report(report(tmp_path, f"{HEADER}\n{GOOD}\n"))
    with pytest.raises(importing.NotPlain), transaction.atomic():
        importing.plain_stage(plain, as_of=AS_OF, max_wage=10**15, progress=None)


# --- end to end: the plain way posts, and hands refused files to the parsed way ---------------


@pytest.fixture
def members():
    employer = make_employer(npp=A)
    start = date(2010, 1, 1)
    return [make_member(kpj=f"{10_000_000_001 + i:011d}", employer=employer, start_date=start) for i in range(3)]


def imported(path) -> tuple[object, list[str]]:
    """The import's result and the staging tables it created, from the SQL it sent."""
    with CaptureQueriesContext(connection) as queries:
        result = contributions_import(path=path, as_of=AS_OF)
    created = [m[1] for q in queries if (m := re.match(r"CREATE TEMPORARY TABLE (\w+)", q["sql"]))]
    return result, created


@postgres_only
def test_a_plain_report_is_posted_the_plain_way(tmp_path, members):
    path = tmp_path / "plain.csv"
    path.write_text("\n".join([HEADER, GOOD, f"{A},2024-01,10000000002,7000000"]) + "\n")
    result, created = imported(path)
    assert (result.rows, result.posted) == (2, 2)
    assert importing.RAW in created and importing.STAGE not in created
    balances = Account.objects.filter(membership__kpj="10000000001").values_list("programme", "balance")
    assert dict(balances) == {"JHT": 285_002, "JP": 150_001}
    assert ledger_mismatches() == []


def test_a_report_that_is_not_plain_is_posted_the_parsed_way(tmp_path, members):
    path = tmp_path / "spaced.csv"
    path.write_text("\n".join([HEADER, f" {GOOD} ", f"{A},2024-01,10000000002,7000000"]) + "\n")
    result, created = imported(path)
    assert (result.rows, result.posted) == (2, 2)
    assert importing.STAGE in created and importing.RAW not in created
    assert ledger_mismatches() == []


@postgres_only
def test_a_plain_report_with_a_duplicate_is_refused_with_every_bad_row_by_the_parsed_way(tmp_path, members):
    lines = [HEADER, GOOD, f"{A},2024-01,10000000099,5000000", f"{A},2024-02,10000000002,5000000", GOOD]
    path = tmp_path / "dup.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValidationError) as excinfo:
        imported(path)
    assert [(e.line, e.field, e.message) for e in excinfo.value.errors] == [
        (3, "kpj", "KPJ tidak terdaftar"),
        (5, "kpj", "KPJ dan periode sama dengan baris 2"),
    ]
    assert Account.objects.filter(balance__gt=0).count() == 0


@postgres_only
def test_the_plain_way_counts_a_re_imported_report_without_parsing_it(tmp_path, members):
    path = tmp_path / "again.csv"
    path.write_text("\r\n".join([HEADER, GOOD, f"{A},2024-01,10000000002,7000000"]))
    assert contributions_import(path=path, as_of=AS_OF).posted == 2
    again = contributions_import(path=path, as_of=AS_OF)
    assert (again.rows, again.posted, again.already_posted) == (2, 0, 2)
