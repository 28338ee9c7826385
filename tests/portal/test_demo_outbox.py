"""The demo's outbox (`make run`): SMS written to a file a newcomer can read, no Kannel needed."""

from django.utils import timezone

from saldo.channels.models import OutboundMessage
from saldo.channels.outbox import outbound_queue, outbound_send


def test_with_the_demo_outbox_an_sms_lands_in_the_file(settings, tmp_path):
    settings.DEMO_OUTBOX = str(tmp_path)
    settings.SALDO_TRANSPORTS = {"sms": "saldo.portal.demo_outbox.send"}
    message = outbound_queue(channel="sms", to="+628154817745", text="PIN Saldo untuk cek saldo: 123456.",
                             now=timezone.now())
    assert outbound_send(message_id=message.id).status == OutboundMessage.Status.SENT
    (line,) = (tmp_path / "sms.txt").read_text().splitlines()
    assert line.endswith(" to +628154817745: PIN Saldo untuk cek saldo: 123456.")


def test_a_file_that_cannot_be_written_fails_the_message(settings, tmp_path):
    (tmp_path / "sms.txt").mkdir()  # a directory where the file should be
    settings.DEMO_OUTBOX = str(tmp_path)
    settings.SALDO_TRANSPORTS = {"sms": "saldo.portal.demo_outbox.send"}
    message = outbound_queue(channel="sms", to="+628154817745", text="x", now=timezone.now())
    sent = outbound_send(message_id=message.id)
    assert (sent.status, sent.last_error.startswith("demo outbox not writable")) == ("failed", True)
