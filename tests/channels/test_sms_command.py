"""`saldo sms` answers the way the short code would, through the same service."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saldo.channels.models import InboundMessage
from tests.factories import make_member


def sms(*args):
    out = StringIO()
    call_command("sms", *args, stdout=out)
    return out.getvalue().strip()


def test_register_then_ask_the_balance():
    member = make_member(kpj="68516716147", birth_date=date(1987, 10, 7), sex="F", name="NENG KURNIASIH")
    daftar = f"DAFTAR SALDO#{member.person.nik}#NENG KURNIASIH#07-10-87#68516716147#"
    assert sms("--from", "081234567890", daftar).startswith("Pendaftaran berhasil")
    assert sms("--from", "081234567890", "SALDO", "68516716147").startswith("Saldo KPJ 68516716147 per ")
    messages = list(InboundMessage.objects.order_by("pk").values_list("channel", "sender", "text"))
    assert messages == [("sms", "+6281234567890", daftar), ("sms", "+6281234567890", "SALDO 68516716147")]
    assert all(m.startswith("cli-") for m in InboundMessage.objects.values_list("external_id", flat=True))


def test_sender_and_text_are_required():
    with pytest.raises(CommandError):
        sms("SALDO")
    with pytest.raises(CommandError):
        sms("--from", "081234567890")


@pytest.mark.today(date(2026, 1, 2))  # the day after the message came
def test_pending_answers_stored_messages():
    received = datetime(2026, 1, 1, tzinfo=UTC)
    InboundMessage.objects.create(
        channel="sms", sender="+6281234567890", text="BANTUAN", external_id="k", received_at=received
    )
    assert sms("--pending") == "1 pesan tertunda dijawab."
    assert InboundMessage.objects.get().reply.startswith("Layanan saldo")
