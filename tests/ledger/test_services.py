"""Writing to the ledger: idempotent postings, reversals, and the invariants the database holds."""

from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from saldo.core.errors import IdempotencyConflict, NotFound, SaldoError, ValidationError
from saldo.ledger.checks import ledger_mismatches
from saldo.ledger.models import Account, Entry, EntryKind, Posting, Programme
from saldo.ledger.selectors import balances_get
from saldo.ledger.services import (
    Line,
    accounts_open,
    balances_add,
    balances_add_per_membership,
    posting_create,
    reversal_create,
)
from tests.factories import account_of, make_member

EMPLOYER, WORKER = EntryKind.EMPLOYER_CONTRIBUTION, EntryKind.WORKER_CONTRIBUTION
JAN31, FEB29 = date(2024, 1, 31), date(2024, 2, 29)


@pytest.fixture
def jht():
    return account_of(make_member())


def iuran_lines(account, employer=185_000, worker=100_000, value_date=JAN31):
    return [Line(account.id, EMPLOYER, employer, value_date), Line(account.id, WORKER, worker, value_date)]


def snapshot():
    """Everything the ledger stores, to show that a refused write changed nothing."""
    return (
        list(Posting.objects.order_by("id").values_list("id", "key")),
        list(Entry.objects.order_by("id").values_list("id", "account_id", "kind", "amount", "value_date")),
        list(Account.objects.order_by("id").values_list("id", "balance")),
    )


# --- accounts ----------------------------------------------------------------------------------


def test_every_membership_has_one_account_per_programme():
    membership = make_member()
    assert [(a.programme, a.balance) for a in accounts_open(membership=membership)] == [("JHT", 0), ("JP", 0)]


def test_opening_accounts_twice_is_harmless():
    membership = make_member()
    first = accounts_open(membership=membership)
    assert accounts_open(membership=membership) == first
    assert Account.objects.filter(membership=membership).count() == 2


# --- posting -----------------------------------------------------------------------------------


def test_a_posting_stores_its_entries_and_updates_the_balance(jht):
    posting = posting_create(key="iuran:1", lines=iuran_lines(jht), description="Januari")
    entries = posting.entries.order_by("kind").values_list("account_id", "kind", "amount", "value_date")
    assert list(entries) == [
        (jht.id, "employer", 185_000, JAN31),
        (jht.id, "worker", 100_000, JAN31),
    ]
    jht.refresh_from_db()
    assert jht.balance == 285_000


def test_one_posting_may_touch_several_accounts(jht):
    jp = Account.objects.get(membership=jht.membership, programme=Programme.JP)
    posting_create(key="iuran:1", lines=iuran_lines(jht) + iuran_lines(jp, 100_000, 50_000))
    assert dict(Account.objects.filter(membership=jht.membership).values_list("programme", "balance")) == {
        "JHT": 285_000,
        "JP": 150_000,
    }


def test_a_posting_without_lines_is_refused(jht):
    with pytest.raises(ValidationError):
        posting_create(key="empty", lines=[])
    assert not Posting.objects.filter(key="empty").exists()


def test_the_same_key_with_the_same_lines_returns_the_stored_posting_and_posts_nothing(jht):
    first = posting_create(key="iuran:1", lines=iuran_lines(jht))
    before = snapshot()
    again = posting_create(key="iuran:1", lines=list(reversed(iuran_lines(jht))))
    assert again.pk == first.pk
    assert snapshot() == before


def test_the_same_key_with_different_lines_is_a_conflict_and_changes_nothing(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    before = snapshot()
    with pytest.raises(IdempotencyConflict) as excinfo:
        posting_create(key="iuran:1", lines=iuran_lines(jht, employer=185_001))
    assert excinfo.value.code == "idempotency_conflict"
    assert snapshot() == before


@pytest.mark.parametrize(
    "change",
    [
        {"amount": 1},
        {"kind": EntryKind.WORKER_CONTRIBUTION},
        {"value_date": FEB29},
    ],
)
def test_any_difference_in_a_line_is_a_conflict(jht, change):
    line = {"account_id": jht.id, "kind": EMPLOYER, "amount": 185_000, "value_date": JAN31}
    posting_create(key="one", lines=[Line(**line)])
    with pytest.raises(IdempotencyConflict):
        posting_create(key="one", lines=[Line(**(line | change))])


def test_an_extra_line_under_a_used_key_is_a_conflict(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    with pytest.raises(IdempotencyConflict):
        posting_create(key="iuran:1", lines=iuran_lines(jht) + iuran_lines(jht))


def test_the_balance_is_the_sum_of_the_entries(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    posting_create(key="iuran:2", lines=iuran_lines(jht, 190_000, 110_000, FEB29))
    posting_create(key="claim:1", lines=[Line(jht.id, EntryKind.WITHDRAWAL, -500_000, date(2024, 3, 5))])
    jht.refresh_from_db()
    assert jht.balance == 85_000 == sum(Entry.objects.filter(account=jht).values_list("amount", flat=True))
    assert ledger_mismatches() == []


# --- reversals ---------------------------------------------------------------------------------


def test_a_reversal_posts_the_opposite_of_every_entry_pointing_at_the_original(jht):
    original = posting_create(key="iuran:1", lines=iuran_lines(jht))
    reversal = reversal_create(original_key="iuran:1", key="koreksi:1")
    originals = {e.id: e for e in original.entries.all()}
    reversed_entries = list(reversal.entries.all())
    assert sorted((e.kind, e.amount, e.value_date) for e in reversed_entries) == [
        ("reversal", -185_000, JAN31),
        ("reversal", -100_000, JAN31),
    ]
    assert {e.reverses_id for e in reversed_entries} == set(originals)
    assert all(originals[e.reverses_id].amount == -e.amount for e in reversed_entries)
    jht.refresh_from_db()
    assert jht.balance == 0


def test_a_reversal_leaves_the_original_entries_in_place(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    reversal_create(original_key="iuran:1", key="koreksi:1")
    assert Entry.objects.filter(account=jht).count() == 4


def test_a_reversal_is_idempotent_on_its_own_key(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    first = reversal_create(original_key="iuran:1", key="koreksi:1")
    before = snapshot()
    assert reversal_create(original_key="iuran:1", key="koreksi:1").pk == first.pk
    assert snapshot() == before


def test_reversing_an_unknown_posting_is_not_found(jht):
    with pytest.raises(NotFound):
        reversal_create(original_key="nothing", key="koreksi:1")


def test_a_posting_can_be_reversed_only_once(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    posting_create(key="iuran:2", lines=iuran_lines(jht, value_date=FEB29))
    reversal_create(original_key="iuran:1", key="koreksi:1")
    before = snapshot()
    with pytest.raises(SaldoError, match="sudah pernah dikoreksi"):
        reversal_create(original_key="iuran:1", key="koreksi:2")
    assert snapshot() == before


# --- invariants held by the database -----------------------------------------------------------


def test_an_entry_cannot_be_changed_through_the_orm(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    entry = Entry.objects.filter(account=jht).first()
    entry.amount = 1
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()
    assert Entry.objects.get(pk=entry.pk).amount != 1


def test_an_entry_cannot_be_changed_by_a_bulk_update(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(account=jht).update(amount=1)
    assert sorted(Entry.objects.filter(account=jht).values_list("amount", flat=True)) == [100_000, 185_000]


def test_an_entry_cannot_be_changed_by_raw_sql(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_entry SET value_date = %s", [FEB29])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite: no delete trigger")
def test_on_postgresql_an_entry_cannot_be_deleted(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(account=jht).delete()
    assert Entry.objects.filter(account=jht).count() == 2


@pytest.mark.parametrize(
    ("kind", "amount"),
    [
        (EntryKind.EMPLOYER_CONTRIBUTION, -185_000),
        (EntryKind.WORKER_CONTRIBUTION, -1),
        (EntryKind.RETURNS, -1),
        (EntryKind.EMPLOYER_CONTRIBUTION, 0),
        (EntryKind.WITHDRAWAL, 1),
        (EntryKind.TAX, 1),
        (EntryKind.REVERSAL, 0),
        (EntryKind.TRANSFER, 0),
    ],
)
def test_an_entry_whose_sign_does_not_match_its_kind_is_refused_and_nothing_is_posted(jht, kind, amount):
    posting_create(key="iuran:0", lines=iuran_lines(jht))
    before = snapshot()
    with pytest.raises(IntegrityError):
        posting_create(key="bad", lines=[Line(jht.id, kind, amount, JAN31)])
    assert snapshot() == before


def test_an_unknown_entry_kind_is_refused(jht):
    with pytest.raises(IntegrityError):
        posting_create(key="bad", lines=[Line(jht.id, "gift", 1, JAN31)])
    assert not Posting.objects.filter(key="bad").exists()


def test_a_withdrawal_larger_than_the_balance_is_refused_and_nothing_is_posted(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    before = snapshot()
    with pytest.raises(IntegrityError):
        posting_create(key="claim:1", lines=[Line(jht.id, EntryKind.WITHDRAWAL, -285_001, date(2024, 3, 1))])
    assert snapshot() == before


def test_a_withdrawal_of_the_whole_balance_leaves_zero(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    posting_create(key="claim:1", lines=[Line(jht.id, EntryKind.WITHDRAWAL, -285_000, date(2024, 3, 1))])
    jht.refresh_from_db()
    assert jht.balance == 0


def test_a_posting_credits_returns_at_most_once_per_account_and_value_date(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    dec31 = date(2024, 12, 31)
    with pytest.raises(IntegrityError):
        posting_create(key="returns:2024", lines=[Line(jht.id, EntryKind.RETURNS, 1_000, dec31)] * 2)
    assert not Entry.objects.filter(account=jht, kind="returns").exists()


def test_two_postings_may_credit_returns_on_the_same_day(jht):
    # A claim paid on 31 Dec credits returns valued that day; crediting the year settles the rest.
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    dec31 = date(2024, 12, 31)
    posting_create(key="claim:1", lines=[Line(jht.id, EntryKind.RETURNS, 1_000, dec31)])
    posting_create(key="returns:2024", lines=[Line(jht.id, EntryKind.RETURNS, 40, dec31)])
    assert sorted(Entry.objects.filter(account=jht, kind="returns").values_list("amount", flat=True)) == [40, 1_000]


# --- balances_get ------------------------------------------------------------------------------


def test_a_balance_as_of_a_date_counts_only_entries_valued_on_or_before_it(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    posting_create(key="iuran:2", lines=iuran_lines(jht, 190_000, 110_000, FEB29))
    amounts = {
        as_of: balances_get(membership_id=jht.membership_id, as_of=as_of)["JHT"].amount
        for as_of in (date(2024, 1, 30), JAN31, date(2024, 2, 28), FEB29)
    }
    assert amounts == {date(2024, 1, 30): 0, JAN31: 285_000, date(2024, 2, 28): 285_000, FEB29: 585_000}


def test_balances_are_given_per_programme(jht):
    posting_create(key="iuran:1", lines=iuran_lines(jht))
    balances = balances_get(membership_id=jht.membership_id, as_of=JAN31)
    assert {p: (b.programme, b.amount, b.as_of) for p, b in balances.items()} == {
        "JHT": ("JHT", 285_000, JAN31),
        "JP": ("JP", 0, JAN31),
    }


# --- bulk balance updates (the caller has just written the matching entries) ------------------


def balances() -> dict[tuple[str, str], int]:
    rows = Account.objects.filter(balance__gt=0).values_list("membership__kpj", "programme", "balance")
    return {(kpj, programme): balance for kpj, programme, balance in rows}


def test_balances_add_sums_several_deltas_per_account():
    a, b = account_of(make_member(kpj="10000000001")), account_of(make_member(kpj="10000000002"))
    deltas = f"SELECT {a.id} AS account_id, 100 AS amount UNION ALL SELECT {a.id}, 20 UNION ALL SELECT {b.id}, 3"
    assert balances_add(deltas_sql=deltas) == 2
    assert balances() == {("10000000001", "JHT"): 120, ("10000000002", "JHT"): 3}


def test_balances_add_takes_one_row_per_account_as_it_is():
    a = account_of(make_member(kpj="10000000001"))
    assert balances_add(deltas_sql=f"SELECT {a.id} AS account_id, 7 AS amount", one_row_per_account=True) == 1
    assert balances() == {("10000000001", "JHT"): 7}


@pytest.mark.parametrize("one_row_per_membership", [False, True])
def test_balances_add_per_membership_updates_each_programme_and_leaves_zero_deltas_alone(one_row_per_membership):
    ani, budi = make_member(kpj="10000000001"), make_member(kpj="10000000002")
    if one_row_per_membership:
        deltas = f"SELECT {ani.id} AS membership_id, 300 AS jht, 30 AS jp UNION ALL SELECT {budi.id}, 5, 0"
    else:
        deltas = (
            f"SELECT {ani.id} AS membership_id, 100 AS jht, 10 AS jp UNION ALL SELECT {ani.id}, 200, 20 "
            f"UNION ALL SELECT {budi.id}, 5, 0"
        )
    updated = balances_add_per_membership(deltas_sql=deltas, one_row_per_membership=one_row_per_membership)
    assert updated == 3  # budi's JP account is not touched
    assert balances() == {("10000000001", "JHT"): 300, ("10000000001", "JP"): 30, ("10000000002", "JHT"): 5}
