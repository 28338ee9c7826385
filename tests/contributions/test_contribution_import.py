"""Posting employers' wage reports as iuran: all-or-nothing, every bad row reported, idempotent."""

import hashlib
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from saldo.contributions.models import Contribution
from saldo.contributions.services import ContributionImportResult, contribution_reverse, contributions_import
from saldo.core.errors import ValidationError
from saldo.ledger.checks import ledger_mismatches
from saldo.ledger.models import Account, Entry, Posting
from tests.factories import make_employer, make_member, post_contribution

AS_OF = date(2024, 6, 10)
HEADER = "npp,period,kpj,wage"
A, B = "12345678", "87654321"


@pytest.fixture(autouse=True)
def members():
    employer_a, employer_b = make_employer(npp=A, name="PT MAJU JAYA"), make_employer(npp=B, name="CV SINAR")
    return {
        "ani": make_member(kpj="10000000001", employer=employer_a, start_date=date(2024, 1, 1)),
        "budi": make_member(kpj="10000000002", employer=employer_a, start_date=date(2023, 6, 15)),
        "cici": make_member(kpj="20000000001", employer=employer_b, start_date=date(2010, 1, 1)),
        "dedi": make_member(
            kpj="20000000002", employer=employer_b, start_date=date(2020, 1, 1), end_date=date(2024, 3, 20)
        ),
    }


def run(path: str) -> ContributionImportResult:
    return contributions_import(path=path, as_of=AS_OF)


def stored() -> dict[str, int]:
    return {
        "contributions": Contribution.objects.count(),
        "entries": Entry.objects.count(),
        "postings": Posting.objects.count(),
        "balance": sum(Account.objects.values_list("balance", flat=True)),
    }


def rejected(path: str) -> list[tuple[int, str]]:
    """Import a file that must be refused; return its errors as (line, column); assert nothing was stored."""
    before = stored()
    with pytest.raises(ValidationError) as excinfo:
        run(path)
    assert stored() == before
    assert all(e.message for e in excinfo.value.errors)
    return [(e.line, e.field) for e in excinfo.value.errors]


def sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


GOOD_ROWS = [
    f"{A},2024-01,10000000001,5000025",
    f"{A},2024-02,10000000001,5000000",
    f"{A},2024-01,10000000002,20000000",
    f"{B},2024-05,20000000001,4000000",
]


@pytest.fixture
def good_file(tmp_csv):
    return tmp_csv("iuran.csv", [HEADER, *GOOD_ROWS])


# --- the happy path ----------------------------------------------------------------------------


def test_a_good_file_posts_every_row(good_file):
    assert run(good_file) == ContributionImportResult(
        rows=4, posted=4, already_posted=0, posting_key=f"iuran-import:{sha256(good_file)}"
    )


def test_each_month_is_stored_with_its_wage_and_the_four_shares(good_file):
    run(good_file)
    rows = Contribution.objects.order_by("membership__kpj", "period").values_list(
        "membership__kpj", "period", "wage", "jht_employer", "jht_worker", "jp_employer", "jp_worker"
    )
    assert list(rows) == [
        ("10000000001", date(2024, 1, 1), 5_000_025, 185_001, 100_001, 100_001, 50_000),
        ("10000000001", date(2024, 2, 1), 5_000_000, 185_000, 100_000, 100_000, 50_000),
        # JP on the January 2024 cap of 9,559,600.
        ("10000000002", date(2024, 1, 1), 20_000_000, 740_000, 400_000, 191_192, 95_596),
        ("20000000001", date(2024, 5, 1), 4_000_000, 148_000, 80_000, 80_000, 40_000),
    ]


def test_each_share_becomes_one_entry_valued_on_the_last_day_of_its_month(good_file):
    run(good_file)
    entries = Entry.objects.filter(account__membership__kpj="10000000001").order_by(
        "value_date", "account__programme", "kind"
    )
    assert list(entries.values_list("account__programme", "kind", "amount", "value_date")) == [
        ("JHT", "employer", 185_001, date(2024, 1, 31)),
        ("JHT", "worker", 100_001, date(2024, 1, 31)),
        ("JP", "employer", 100_001, date(2024, 1, 31)),
        ("JP", "worker", 50_000, date(2024, 1, 31)),
        ("JHT", "employer", 185_000, date(2024, 2, 29)),
        ("JHT", "worker", 100_000, date(2024, 2, 29)),
        ("JP", "employer", 100_000, date(2024, 2, 29)),
        ("JP", "worker", 50_000, date(2024, 2, 29)),
    ]


def test_the_whole_file_is_one_posting_and_every_balance_equals_its_entries(good_file):
    result = run(good_file)
    assert set(Entry.objects.values_list("posting__key", flat=True)) == {result.posting_key}
    assert set(Contribution.objects.values_list("posting__key", flat=True)) == {result.posting_key}
    balances = Account.objects.filter(membership__kpj="10000000001").values_list("programme", "balance")
    assert dict(balances) == {"JHT": 570_002, "JP": 300_001}
    assert ledger_mismatches() == []


def test_a_period_before_july_2015_posts_jht_only(tmp_csv):
    run(tmp_csv("old.csv", [HEADER, f"{B},2015-06,20000000001,3000000", f"{B},2015-07,20000000001,3000000"]))
    entries = Entry.objects.order_by("value_date", "account__programme", "kind")
    assert list(entries.values_list("value_date", "account__programme", "kind", "amount")) == [
        (date(2015, 6, 30), "JHT", "employer", 111_000),
        (date(2015, 6, 30), "JHT", "worker", 60_000),
        (date(2015, 7, 31), "JHT", "employer", 111_000),
        (date(2015, 7, 31), "JHT", "worker", 60_000),
        (date(2015, 7, 31), "JP", "employer", 60_000),
        (date(2015, 7, 31), "JP", "worker", 30_000),
    ]


def test_a_member_whose_iuran_is_posted_cannot_be_deleted_even_in_sql(good_file, members):
    run(good_file)
    ani = members["ani"]
    with pytest.raises(ProtectedError):
        ani.delete()
    # The contribution's own reference is not checked by the database (it cost a tenth of an
    # import); the accounts' is, and accounts can never be deleted.
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM registry_membership WHERE id = %s", [ani.id])
        connection.check_constraints()
    assert Contribution.objects.filter(membership=ani).count() == 2


def test_re_importing_the_same_file_posts_nothing(good_file):
    run(good_file)
    before = stored()
    assert run(good_file) == ContributionImportResult(
        rows=4, posted=0, already_posted=4, posting_key=f"iuran-import:{sha256(good_file)}"
    )
    assert stored() == before


def test_rows_already_posted_with_the_same_wage_are_skipped_in_another_file(tmp_csv, good_file):
    run(good_file)
    before = stored()
    more = tmp_csv("more.csv", [HEADER, GOOD_ROWS[1], f"{A},2024-03,10000000001,5000000", GOOD_ROWS[3]])
    result = run(more)
    assert (result.rows, result.posted, result.already_posted) == (3, 1, 2)
    assert stored()["contributions"] == before["contributions"] + 1
    assert stored()["entries"] == before["entries"] + 4
    assert ledger_mismatches() == []


def test_a_row_posted_by_another_channel_is_skipped(tmp_csv, members):
    post_contribution(members["ani"], "2024-01", 5_000_025)
    result = run(tmp_csv("i.csv", [HEADER, GOOD_ROWS[0], GOOD_ROWS[1]]))
    assert (result.posted, result.already_posted) == (1, 1)


def test_the_month_the_membership_starts_in_may_be_posted(tmp_csv):
    # budi starts on 15 June 2023; June's iuran is valued 30 June.
    assert run(tmp_csv("i.csv", [HEADER, f"{A},2023-06,10000000002,5000000"])).posted == 1


def test_the_month_the_membership_ends_in_may_be_posted(tmp_csv):
    # dedi's membership ended on 20 March 2024.
    assert run(tmp_csv("i.csv", [HEADER, f"{B},2024-03,20000000002,5000000"])).posted == 1


def test_the_current_month_may_be_paid_early(tmp_csv):
    assert run(tmp_csv("i.csv", [HEADER, f"{A},2024-06,10000000001,5000000"])).posted == 1


def test_spaces_around_values_and_blank_lines_are_ignored(tmp_csv):
    path = tmp_csv("i.csv", [HEADER, "", f" {A} , 2024-01 , 10000000001 , 5000025 ", ""])
    assert run(path).posted == 1


# --- a file refused: every bad row listed, nothing posted --------------------------------------


def test_a_row_with_the_wrong_number_of_columns_is_refused(tmp_csv):
    path = tmp_csv("i.csv", [HEADER, GOOD_ROWS[0], f"{A},2024-02,10000000001", GOOD_ROWS[2] + ",1"])
    assert rejected(path) == [(3, "*"), (4, "*")]


def test_a_file_with_a_wrong_header_is_refused_at_line_1(tmp_csv):
    assert rejected(tmp_csv("i.csv", ["npp,periode,kpj,upah", *GOOD_ROWS])) == [(1, "header")]


def test_a_file_that_is_not_utf8_is_refused_naming_the_line(tmp_csv):
    rows = [HEADER, GOOD_ROWS[0], GOOD_ROWS[1], f"{A},2024-03,10000000001,5000000 é"]
    path = tmp_csv("i.csv", rows, encoding="latin-1")
    assert rejected(path) == [(4, "file")]


def test_an_unknown_npp_is_refused(tmp_csv):
    path = tmp_csv("i.csv", [HEADER, GOOD_ROWS[0], "99999999,2024-02,10000000099,5000000"])
    assert rejected(path) == [(3, "npp")]


def test_an_unknown_npp_with_a_known_kpj_is_one_error_on_the_npp(tmp_csv):
    path = tmp_csv("i.csv", [HEADER, GOOD_ROWS[0], "99999999,2024-02,10000000001,5000000"])
    with pytest.raises(ValidationError) as excinfo:
        run(path)
    assert [(e.line, e.field, e.message) for e in excinfo.value.errors] == [(3, "npp", "NPP tidak terdaftar")]


def test_an_unknown_kpj_is_refused(tmp_csv):
    assert rejected(tmp_csv("i.csv", [HEADER, GOOD_ROWS[0], f"{A},2024-01,10000000099,5000000"])) == [
        (3, "kpj")
    ]


def test_a_kpj_registered_at_another_npp_is_refused(tmp_csv):
    assert rejected(tmp_csv("i.csv", [HEADER, GOOD_ROWS[0], f"{B},2024-01,10000000002,5000000"])) == [
        (3, "npp")
    ]


def test_the_same_kpj_and_period_twice_in_one_file_is_refused_on_the_second_line(tmp_csv):
    path = tmp_csv("i.csv", [HEADER, GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[0]])
    with pytest.raises(ValidationError) as excinfo:
        run(path)
    assert [(e.line, e.field, e.message) for e in excinfo.value.errors] == [
        (4, "kpj", "KPJ dan periode sama dengan baris 2")
    ]
    assert stored()["contributions"] == 0


@pytest.mark.parametrize(
    "wage",
    ["-5000000", "0", "000", "1000000001", "5000000.50", "5.000.000", "5,000,000", "Rp5000000", "abc", ""],
)
def test_a_wage_that_is_not_a_positive_sane_whole_rupiah_amount_is_refused(tmp_csv, wage):
    path = tmp_csv("i.csv", [HEADER, GOOD_ROWS[0], f'{A},2024-02,10000000001,"{wage}"'])
    assert rejected(path) == [(3, "wage")]


def test_the_largest_sane_wage_is_accepted(tmp_csv):
    assert run(tmp_csv("i.csv", [HEADER, f"{A},2024-02,10000000001,1000000000"])).posted == 1


@pytest.mark.parametrize(
    "period",
    ["2024-07", "2030-01", "2024-6", "06-2024", "2024/06", "202406", "2024-13", "2024-00", "Juni", ""],
)
def test_a_period_in_the_future_or_badly_written_is_refused(tmp_csv, period):
    path = tmp_csv("i.csv", [HEADER, GOOD_ROWS[0], f"{A},{period},10000000001,5000000"])
    assert rejected(path) == [(3, "period")]


def test_a_period_before_the_rate_table_is_refused(tmp_csv):
    assert rejected(tmp_csv("i.csv", [HEADER, f"{B},1990-01,20000000001,5000000"])) == [(2, "period")]


def test_a_period_before_the_membership_started_is_refused(tmp_csv):
    # ani started on 1 January 2024.
    assert rejected(tmp_csv("i.csv", [HEADER, GOOD_ROWS[0], f"{A},2023-12,10000000001,5000000"])) == [
        (3, "period")
    ]


def test_a_period_after_the_membership_ended_is_refused(tmp_csv):
    # dedi's membership ended on 20 March 2024.
    assert rejected(tmp_csv("i.csv", [HEADER, f"{B},2024-04,20000000002,5000000"])) == [(2, "period")]


def test_a_month_posted_earlier_with_another_wage_is_a_conflict(tmp_csv, good_file):
    run(good_file)
    path = tmp_csv(
        "fix.csv", [HEADER, f"{A},2024-03,10000000001,5000000", f"{A},2024-01,10000000001,5000026"]
    )
    assert rejected(path) == [(3, "wage")]


def test_every_bad_row_of_a_format_check_is_listed_in_line_order(tmp_csv):
    path = tmp_csv(
        "i.csv",
        [
            HEADER,
            GOOD_ROWS[0],
            f"{A},2024-02,1000000000,5000000",  # KPJ 10 digits
            f"{A},2024-02,10000000001,-1",
            f"{A},2099-01,10000000001,5000000",
            "1234,2024-04,10000000001,5000000",
            GOOD_ROWS[0],
            f"{A},2024-05",
        ],
    )
    assert rejected(path) == [(3, "kpj"), (4, "wage"), (5, "period"), (6, "npp"), (7, "kpj"), (8, "*")]


def test_every_row_contradicting_the_registry_is_listed(tmp_csv, good_file):
    run(good_file)
    path = tmp_csv(
        "i.csv",
        [
            HEADER,
            f"{A},2024-03,10000000001,5000000",  # fine
            "99999999,2024-03,20000000099,5000000",  # unknown NPP (and so KPJ)
            f"{A},2024-03,10000000099,5000000",  # unknown KPJ
            f"{B},2024-03,10000000002,5000000",  # KPJ of employer A
            f"{A},2023-05,10000000002,5000000",  # before budi started
            f"{B},2024-05,20000000002,5000000",  # after dedi's membership ended
            f"{A},2024-02,10000000001,5000001",  # posted earlier with 5,000,000
        ],
    )
    assert rejected(path) == [(3, "npp"), (4, "kpj"), (5, "npp"), (6, "period"), (7, "period"), (8, "wage")]


def test_format_errors_and_registry_errors_are_listed_together(tmp_csv):
    path = tmp_csv("i.csv", [HEADER, f"{A},2024-02,10000000001,-1", f"{A},2024-02,10000000099,5000000"])
    assert rejected(path) == [(2, "wage"), (3, "kpj")]


def test_a_rejected_file_can_be_imported_once_corrected(tmp_csv):
    rejected(tmp_csv("bad.csv", [HEADER, *GOOD_ROWS, f"{A},2024-03,10000000099,5000000"]))
    assert run(tmp_csv("good.csv", [HEADER, *GOOD_ROWS])).posted == 4


# --- through the command line ------------------------------------------------------------------


def test_import_contributions_command_reports_what_it_posted(good_file):
    out = StringIO()
    call_command("import_contributions", good_file, "--as-of", "2024-06-10", stdout=out, stderr=StringIO())
    assert out.getvalue().strip() == "4 baris: 4 iuran diposting, 0 sudah ada sebelumnya."


def test_import_contributions_command_lists_every_bad_line_on_stderr_and_exits_1(tmp_csv):
    path = tmp_csv("i.csv", [HEADER, GOOD_ROWS[0], f"{A},2024-02,10000000001,0", f"{A},24-03,10000000001,1"])
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_contributions", path, "--as-of", "2024-06-10", stdout=StringIO(), stderr=err)
    assert excinfo.value.returncode == 1
    assert str(excinfo.value) == "2 kesalahan; tidak ada yang diposting."
    assert err.getvalue().splitlines() == [
        "baris 3, kolom wage: upah harus lebih dari 0",
        "baris 4, kolom period: format periode harus YYYY-MM, mis. 2024-03",
    ]
    assert stored()["contributions"] == 0


def test_import_contributions_command_refuses_registry_errors_with_exit_1(tmp_csv):
    path = tmp_csv("i.csv", [HEADER, f"{A},2024-02,10000000099,5000000"])
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_contributions", path, "--as-of", "2024-06-10", stdout=StringIO(), stderr=err)
    assert excinfo.value.returncode == 1
    assert err.getvalue().splitlines() == ["baris 2, kolom kpj: KPJ tidak terdaftar"]


def test_after_a_reversal_the_corrected_wage_can_be_posted(tmp_csv):
    run(tmp_csv("a.csv", [HEADER, GOOD_ROWS[0]]))
    contribution_reverse(kpj="10000000001", period=date(2024, 1, 1), reason="upah salah ketik")
    corrected = run(tmp_csv("b.csv", [HEADER, f"{A},2024-01,10000000001,5000026"]))
    assert (corrected.posted, corrected.already_posted) == (1, 0)
    in_force = Contribution.objects.in_force().get(membership__kpj="10000000001", period=date(2024, 1, 1))
    assert in_force.wage == 5_000_026
    assert ledger_mismatches() == []
