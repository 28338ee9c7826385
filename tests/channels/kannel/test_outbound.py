"""Outbound SMS: queued in the caller's transaction, handed to sendsms after commit, retried on
transient failures. sendsms is a real HTTP server on 127.0.0.1 (tests/channels/kannel/stand_in.py)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from saldo.channels.models import Channel, OutboundMessage
from saldo.channels.outbox import outbound_queue, outbound_send, outbound_send_pending
from tests.channels.kannel.conftest import SECRET

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
Status = OutboundMessage.Status


def queue(text: str = "Kode OTP Saldo: 482913", *, now: datetime = NOW) -> OutboundMessage:
    return outbound_queue(channel=Channel.SMS, to="+6281234567890", text=text, now=now)


def state(message: OutboundMessage) -> dict:
    message.refresh_from_db()
    return {"status": message.status, "attempts": message.attempts, "last_error": message.last_error}


def test_a_queued_message_is_sent_only_when_the_transaction_commits(sendsms, django_capture_on_commit_callbacks):
    stand_in = sendsms(202)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            message = queue()
            assert state(message) == {"status": "queued", "attempts": 0, "last_error": ""}
        assert stand_in.requests == []  # committed, but the callbacks run as the block ends
    assert len(stand_in.requests) == 1
    assert state(message) == {"status": "sent", "attempts": 1, "last_error": ""}


def test_a_rolled_back_transaction_sends_nothing(sendsms, django_capture_on_commit_callbacks):
    stand_in = sendsms(202)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue()
        raise RuntimeError("registration failed later in the transaction")
    assert callbacks == []
    assert stand_in.requests == []
    assert not OutboundMessage.objects.exists()


def test_the_sendsms_request_carries_short_code_dlr_mask_and_our_own_id_in_the_dlr_url(sendsms):
    stand_in = sendsms(202)
    message = queue("Saldo JHT Anda Rp1.234.567")
    outbound_send(message_id=message.id)
    assert stand_in.requests == [
        {
            "path": "/cgi-bin/sendsms",
            "username": "saldo",
            "password": "sendsms-pw",
            "from": "2757",
            "to": "+6281234567890",
            "text": "Saldo JHT Anda Rp1.234.567",
            "charset": "UTF-8",
            "dlr-mask": "31",
            # The secret as Basic-auth password (Kannel sends it as a header); %d left for Kannel.
            "dlr-url": f"http://kannel:{SECRET}@127.0.0.1:8000/channels/kannel/dlr?id={message.id}&type=%d",
        }
    ]


def test_a_500_is_retried_and_every_attempt_is_counted(sendsms):
    stand_in = sendsms(500, 500, 202)
    message = queue()
    outbound_send(message_id=message.id)
    assert len(stand_in.requests) == 3
    assert state(message) == {"status": "sent", "attempts": 3, "last_error": ""}


def test_a_message_fails_after_the_configured_attempts(sendsms):
    stand_in = sendsms(503)
    message = queue()
    outbound_send(message_id=message.id)
    assert len(stand_in.requests) == 3
    assert state(message) == {"status": "failed", "attempts": 3, "last_error": "sendsms HTTP 503: Temporal failure"}


def test_a_refusal_is_not_retried(sendsms):
    stand_in = sendsms(403)
    message = queue()
    outbound_send(message_id=message.id)
    assert len(stand_in.requests) == 1
    assert state(message) == {
        "status": "failed",
        "attempts": 1,
        "last_error": "sendsms HTTP 403: Authorization failed for sendsms",
    }


def test_an_unreachable_gateway_is_retried_then_failed(settings, unused_port):
    settings.SALDO_KANNEL = {**settings.SALDO_KANNEL, "SENDSMS_URL": f"http://127.0.0.1:{unused_port}/cgi-bin/sendsms"}
    message = queue()
    outbound_send(message_id=message.id)
    result = state(message)
    assert (result["status"], result["attempts"]) == ("failed", 3)
    assert result["last_error"].startswith("sendsms unreachable: ")
    assert "6281234567890" not in result["last_error"]  # never the number (nor the password)


def test_a_message_already_sent_is_not_sent_again(sendsms):
    stand_in = sendsms(202)
    message = queue()
    outbound_send(message_id=message.id)
    outbound_send(message_id=message.id)
    assert len(stand_in.requests) == 1


def test_send_pending_sends_only_messages_older_than_the_grace_period(sendsms):
    stand_in = sendsms(202)
    stranded = queue("stranded by a crash", now=NOW - timedelta(minutes=5))
    fresh = queue("its request is still sending it", now=NOW)
    counts = outbound_send_pending(now=NOW, older_than=timedelta(seconds=60))
    assert counts == {"sent": 1}
    assert [r["text"] for r in stand_in.requests] == ["stranded by a crash"]
    assert (state(stranded)["status"], state(fresh)["status"]) == ("sent", "queued")


def test_a_channel_without_a_transport_waits_queued(sendsms):
    stand_in = sendsms(202)
    # A channel Saldo may grow later (WhatsApp was one until it got its transport).
    message = outbound_queue(channel="telegram", to="6281234567890", text="Halo", now=NOW - timedelta(hours=1))
    outbound_send(message_id=message.id)
    assert outbound_send_pending(now=NOW, older_than=timedelta(seconds=60)) == {}
    assert stand_in.requests == []
    assert state(message) == {"status": "queued", "attempts": 0, "last_error": ""}


def test_send_pending_command_reports_and_fails_on_failures(sendsms, capsys):
    sendsms(403)
    queue("old", now=datetime(2020, 1, 1, tzinfo=UTC))
    with pytest.raises(CommandError, match="1 message"):
        call_command("send_pending")
    assert capsys.readouterr().out == "send-pending: failed 1\n"


def test_send_pending_command_with_nothing_queued(capsys):
    call_command("send_pending")
    assert capsys.readouterr().out == "send-pending: nothing queued\n"
