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
