"""Prepared statements: the same rows as a plain query, in or out of a transaction, on PostgreSQL
(prepared) and SQLite (run as they are)."""

import pytest
from django.db import DatabaseError, connection, transaction

from saldo.core.prepared import fetch_prepared
from saldo.identity.models import PhoneBinding
from tests.factories import bind_phone, make_member

PHONE = "+6281234567890"
SELECT_BINDING = "SELECT phone, channel FROM identity_phonebinding WHERE phone = %s"


@pytest.fixture
def binding():
    return bind_phone(make_member(kpj="68516716147"), PHONE)


def test_rows_come_back_the_same_every_time(binding):
    # PostgreSQL prepares the statement on first use; the later runs use that.
    for _ in range(7):
        assert fetch_prepared(SELECT_BINDING, [PHONE]) == [(PHONE, "sms")]
    assert fetch_prepared(SELECT_BINDING, ["+6280000000000"]) == []


def test_a_write_returns_its_returning_rows_or_nothing(binding):
    updated = "UPDATE identity_phonebinding SET channel = %s WHERE phone = %s"
    assert fetch_prepared(updated + " RETURNING channel", ["web", PHONE]) == [("web",)]
    assert fetch_prepared(updated, ["whatsapp", PHONE]) == []
    assert PhoneBinding.objects.get().channel == "whatsapp"


def test_an_error_is_djangos_and_leaves_the_transaction_to_roll_back(binding):
    with pytest.raises(DatabaseError), transaction.atomic():
        fetch_prepared("UPDATE identity_phonebinding SET channel = 'web'")
        fetch_prepared("SELECT * FROM no_such_table")
    assert PhoneBinding.objects.get().channel == "sms"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="preparing is PostgreSQL's")
def test_postgresql_plans_the_statement_once_per_connection(binding):
    for _ in range(3):
        fetch_prepared(SELECT_BINDING, [PHONE])
    prepared = fetch_prepared("SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'SELECT phone,%%'")
    assert prepared == [(SELECT_BINDING.replace("%s", "$1"),)]


def test_a_statement_after_the_first_runs_in_the_transaction_too(binding):
    # The first statement of a transaction goes through psycopg, which begins it; the next one
    # goes straight to libpq and must not leave the transaction.
    with pytest.raises(RuntimeError), transaction.atomic():
        PhoneBinding.objects.update(channel="web")
        fetch_prepared("UPDATE identity_phonebinding SET channel = %s WHERE phone = %s", ["whatsapp", PHONE])
        raise RuntimeError("roll back")
    assert PhoneBinding.objects.get().channel == "sms"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # autocommit, as a request runs outside atomic blocks
def test_prepared_statements_outlive_a_rollback_and_come_back_after_a_deallocate(binding):
    fetch_prepared(SELECT_BINDING, [PHONE])
    with pytest.raises(RuntimeError), transaction.atomic():
        fetch_prepared("UPDATE identity_phonebinding SET channel = 'web'")
        fetch_prepared(SELECT_BINDING, [PHONE])
        raise RuntimeError("roll back")
    assert _prepared_like("SELECT phone,%%") == [SELECT_BINDING.replace("%s", "$1")]
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert fetch_prepared(SELECT_BINDING, [PHONE]) == [(PHONE, "sms")]
    assert _prepared_like("SELECT phone,%%") == [SELECT_BINDING.replace("%s", "$1")]


def _prepared_like(pattern: str) -> list[str]:
    return [
        row[0]
        for row in fetch_prepared(f"SELECT statement FROM pg_prepared_statements WHERE statement LIKE '{pattern}'")
    ]
