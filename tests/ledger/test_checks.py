"""The ledger invariant, checkable anywhere: every balance equals the sum of its entries."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F

from saldo.ledger.checks import Mismatch, entries_without_posting, ledger_mismatches
from saldo.ledger.models import Account, Programme
from tests.factories import account_of, make_member, post_contribution


def corrupt(account: Account, by: int) -> None:
    Account.objects.filter(id=account.id).update(balance=F("balance") + by)


def test_a_consistent_ledger_has_no_mismatches():
    member = make_member()
    post_contribution(member, "2024-01", 5_000_000)
    post_contribution(member, "2024-02", 5_000_025)
    assert ledger_mismatches() == []


def test_accounts_without_entries_are_consistent_at_zero():
    make_member()
    assert ledger_mismatches() == []


def test_a_balance_changed_behind_the_ledger_is_found():
    member = make_member(kpj="12345678901")
    post_contribution(member, "2024-01", 5_000_000)  # JHT 285,000; JP 150,000
    jht = account_of(member)
    corrupt(jht, 1)
    assert ledger_mismatches() == [Mismatch(jht.id, "12345678901", "JHT", 285_001, 285_000)]


def test_a_balance_on_an_account_without_entries_is_found():
    member = make_member(kpj="12345678901")
    jp = account_of(member, Programme.JP)
    corrupt(jp, 500)
    assert ledger_mismatches() == [Mismatch(jp.id, "12345678901", "JP", 500, 0)]


def test_every_mismatch_is_listed_in_kpj_and_programme_order():
    first, second = make_member(kpj="22222222222"), make_member(kpj="11111111111")
    post_contribution(first, "2024-01", 5_000_000)
    post_contribution(second, "2024-01", 5_000_000)
    for account in (account_of(first), account_of(second, Programme.JP), account_of(second)):
        corrupt(account, -7)
    assert [(m.kpj, m.programme) for m in ledger_mismatches()] == [
        ("11111111111", "JHT"),
        ("11111111111", "JP"),
        ("22222222222", "JHT"),
    ]


def test_verify_ledger_reports_a_consistent_ledger_on_stdout():
    post_contribution(make_member(), "2024-01", 5_000_000)
    out = StringIO()
    call_command("verify_ledger", stdout=out, stderr=StringIO())
    assert out.getvalue().strip() == "Buku besar cocok: setiap saldo sama dengan jumlah entrinya."


def test_verify_ledger_exits_non_zero_naming_each_mismatched_kpj():
    member = make_member(kpj="12345678901")
    post_contribution(member, "2024-01", 5_000_000)
    corrupt(account_of(member), 1)
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_ledger", stdout=StringIO(), stderr=err)
    assert excinfo.value.returncode == 1
    assert str(excinfo.value) == "1 rekening tidak cocok."
    assert err.getvalue().splitlines() == ["12345678901 JHT: saldo 285001 <> jumlah entri 285000"]


def test_an_entry_whose_posting_is_missing_fails_the_check():
    # The database does not check entry -> posting per row (bulk imports), so the check does.
    jht = account_of(make_member())
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_entry (posting_id, account_id, kind, amount, value_date) VALUES (%s, %s, %s, %s, %s)",
            [999_999, jht.id, "reversal", 5, "2024-01-31"],
        )
    Account.objects.filter(pk=jht.pk).update(balance=F("balance") + 5)
    assert ledger_mismatches() == []
    assert entries_without_posting() == 1
    with pytest.raises(CommandError):
        call_command("verify_ledger", stdout=StringIO(), stderr=StringIO())
