"""Delivery reports: Kannel fetches our dlr-url with %d filled in; the message moves along the
status machine of channels/models.py and never backwards, whatever order reports come in."""

import base64
from datetime import UTC, datetime

import pytest

from saldo.channels.models import Channel, OutboundMessage
from tests.channels.kannel.conftest import SECRET

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
Status = OutboundMessage.Status
BASIC = {"Authorization": "Basic " + base64.b64encode(f"kannel:{SECRET}".encode()).decode()}


def message_in(status: str) -> OutboundMessage:
    return OutboundMessage.objects.create(
        channel=Channel.SMS, to="+6281234567890", text="Kode OTP: 482913", status=status, created_at=NOW, updated_at=NOW
    )


def report(kannel_client, message_id, kind, *, headers=BASIC, extra=""):
    # Exactly what smsbox fetches for the dlr-url transport.dlr_url() builds.
    return kannel_client.get(f"/channels/kannel/dlr?id={message_id}&type={kind}{extra}", headers=headers)


def status_of(message: OutboundMessage) -> str:
    message.refresh_from_db()
    return message.status


# (was, report type %d, becomes)
TRANSITIONS = [
    ("queued", 8, "sent"),  # the SMSC's ack overtook sendsms's own answer
    ("queued", 1, "delivered"),
    ("queued", 16, "failed"),
    ("sent", 8, "sent"),
    ("sent", 4, "sent"),  # buffered: handset off, the SMSC keeps trying
    ("sent", 1, "delivered"),
    ("sent", 2, "failed"),
    ("sent", 16, "failed"),
    ("delivered", 8, "delivered"),  # a late ack never undoes delivery
    ("delivered", 4, "delivered"),
    ("delivered", 2, "delivered"),
    ("delivered", 16, "delivered"),
    ("failed", 8, "failed"),
    ("failed", 4, "failed"),
    ("failed", 1, "delivered"),  # we gave up after a lost answer, but the handset has it
]


@pytest.mark.parametrize(("was", "kind", "becomes"), TRANSITIONS, ids=[f"{w}+{k}->{b}" for w, k, b in TRANSITIONS])
def test_report_moves_the_message(kannel_client, was, kind, becomes):
    message = message_in(was)
    response = report(kannel_client, message.id, kind)
    assert (response.status_code, response.content) == (200, b"ok")
    assert status_of(message) == becomes


def test_reports_out_of_order_end_delivered(kannel_client):
    # The fake SMSC fires type 1 and type 8 at once, in either order (channels.md gotcha 7).
    message = message_in(Status.QUEUED)
    for kind in (1, 8, 4):
        report(kannel_client, message.id, kind)
    assert status_of(message) == Status.DELIVERED


def test_the_secret_may_come_as_a_query_parameter(kannel_client):
    message = message_in(Status.SENT)
    assert report(kannel_client, message.id, 1, headers={}, extra=f"&secret={SECRET}").status_code == 200
    assert status_of(message) == Status.DELIVERED


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Basic " + base64.b64encode(b"kannel:guess").decode()}, {"Authorization": "Bearer x"}],
    ids=["no secret", "wrong password", "other scheme"],
)
def test_a_report_without_the_secret_changes_nothing(kannel_client, headers):
    message = message_in(Status.SENT)
    assert report(kannel_client, message.id, 1, headers=headers).status_code == 403
    assert status_of(message) == Status.SENT


@pytest.mark.parametrize(
    ("query", "status"),
    [("id=abc&type=1", 400), ("id=1&type=", 400), ("id=1&type=3", 400), ("type=1", 400), ("id=999999&type=1", 404)],
    ids=["id not a number", "no type", "unknown type", "no id", "unknown message"],
)
def test_malformed_reports(kannel_client, query, status):
    message = message_in(Status.SENT)
    assert kannel_client.get(f"/channels/kannel/dlr?{query}", headers=BASIC).status_code == status
    assert status_of(message) == Status.SENT
