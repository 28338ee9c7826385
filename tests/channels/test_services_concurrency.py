"""Two copies of one message in flight at once (a gateway retrying while the first is still being
answered), each on its own PostgreSQL connection: one answer, given to both, audited once."""

import threading
import time
import uuid
from datetime import UTC, date, datetime

import psycopg
import pytest
from django.db import connection

from saldo.audit.models import Disclosure
from saldo.channels.models import InboundMessage
from saldo.channels.services import inbound_receive
from tests.factories import bind_phone, make_member, post_contribution

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
KPJ = "68516716147"


def blocked_backends(conn: psycopg.Connection) -> int:
    """Other sessions of this database waiting for a lock (here: ours on audit_disclosure)."""
    # pg_stat_activity is a snapshot taken once per transaction: without clearing it, a count made
    # inside the transaction holding the lock never sees the other session start waiting.
    conn.execute("SELECT pg_stat_clear_snapshot()")
    return conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchone()[0]


def test_two_copies_in_flight_get_the_first_answer_and_one_audit_row():
    membership = make_member(kpj=KPJ, birth_date=date(1987, 10, 7))
    post_contribution(membership, "2026-10", 5_000_000)
    bind_phone(membership, "+6281234567890")
    external_id = str(uuid.uuid4())
    answers = []

    def copy():
        try:
            message = inbound_receive(
                channel="sms", sender="081234567890", text=f"SALDO {KPJ}", external_id=external_id, received_at=NOW
            )
            answers.append((message.pk, message.reply))
        finally:
            connection.close()

    # Hold the audit table so that both copies have answered and wait at the statement that
    # stores message, reply and audit row; then let them go together.
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k not in ("cursor_factory", "context")}) as holder:
        holder.execute("LOCK TABLE audit_disclosure IN EXCLUSIVE MODE")
        threads = [threading.Thread(target=copy) for _ in range(2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while blocked_backends(holder) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert blocked_backends(holder) == 2, "both copies should be waiting at the store"
        holder.commit()
    for thread in threads:
        thread.join()

    assert len(answers) == 2 and answers[0] == answers[1]
    assert answers[0][1].startswith(f"Saldo KPJ {KPJ}")
    assert InboundMessage.objects.get().reply == answers[0][1]
    assert Disclosure.objects.count() == 1
