"""inbound_receive: stored first, answered once, the same reply for a gateway's retry."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saldo.audit.models import Disclosure
from saldo.channels.commands import gsm7, handlers
from saldo.channels.models import InboundMessage
from saldo.channels.services import inbound_receive, pending_process
from saldo.identity.models import PhoneBinding
from tests.factories import bind_phone, make_member, post_contribution

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
PHONE = "+6281234567890"
KPJ = "68516716147"


@pytest.fixture
def member():
    membership = make_member(kpj=KPJ, birth_date=date(1987, 10, 7), sex="F", name="NENG KURNIASIH")
    post_contribution(membership, "2026-10", 5_000_000)
    return membership


def receive(text, *, sender="081234567890", external_id=None, at=NOW, channel="sms"):
    return inbound_receive(
        channel=channel, sender=sender, text=text, external_id=external_id or str(uuid.uuid4()), received_at=at
    )


def test_the_message_is_stored_with_its_reply(member):
    bind_phone(member, PHONE)
    message = receive(f"SALDO {KPJ}", sender="081234567890", external_id="k-1")
    stored = InboundMessage.objects.values(
        "channel", "sender", "text", "external_id", "received_at", "reply", "processed_at"
    ).get()
    assert stored == {
        "channel": "sms",
        "sender": PHONE,
        "text": f"SALDO {KPJ}",
        "external_id": "k-1",
        "received_at": NOW,
        "reply": message.reply,
        "processed_at": NOW,
    }
    assert message.reply.startswith(f"Saldo KPJ {KPJ} per 26-11-2026: JHT Rp285.000")


@pytest.mark.parametrize("raw", ["081234567890", "6281234567890", "+6281234567890", "+62 812-3456-7890"])
def test_every_spelling_of_the_sender_is_one_number(raw, member):
    bind_phone(member, PHONE)
    assert receive("SALDO", sender=raw).sender == PHONE
    assert Disclosure.objects.get().recipient == PHONE


def test_a_sender_that_is_not_an_indonesian_mobile_is_kept_as_sent(member):
    message = receive("SALDO", sender="4915112345678")
    assert message.sender == "4915112345678"
    assert message.reply.startswith("Nomor ini belum terdaftar")


def test_a_retry_gets_the_same_reply_and_nothing_runs_twice(member):
    bind_phone(member, PHONE)
    first = receive(f"SALDO {KPJ}", external_id="k-1")
    retry = receive(f"SALDO {KPJ}", external_id="k-1", at=NOW + timedelta(days=40))
    assert (retry.pk, retry.reply, retry.processed_at) == (first.pk, first.reply, NOW)
    assert InboundMessage.objects.count() == 1
    assert Disclosure.objects.count() == 1


def test_a_retried_registration_binds_once(member):
    text = f"DAFTAR SALDO#{member.person.nik}#07-10-1987#{KPJ}"
    assert receive(text, external_id="k-1").reply == receive(text, external_id="k-1").reply
    assert PhoneBinding.objects.count() == 1


def test_the_same_external_id_on_another_channel_is_another_message(member):
    receive("BANTUAN", external_id="k-1")
    receive("BANTUAN", external_id="k-1", channel="whatsapp")
    assert InboundMessage.objects.count() == 2


def test_a_crash_while_answering_keeps_the_message_and_a_retry_answers_it(member, monkeypatch):
    bind_phone(member, PHONE)

    def crash(**kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr("saldo.channels.services.answer_to", crash)
    with pytest.raises(RuntimeError):
        receive(f"SALDO {KPJ}", external_id="k-1")
    assert InboundMessage.objects.filter(external_id="k-1", reply__isnull=True).exists()
    assert Disclosure.objects.count() == 0
    monkeypatch.setattr("saldo.channels.services.answer_to", handlers.answer_to)
    message = receive(f"SALDO {KPJ}", external_id="k-1", at=NOW + timedelta(seconds=30))
    assert message.reply.startswith(f"Saldo KPJ {KPJ}")
    assert message.processed_at == NOW + timedelta(seconds=30)
    assert Disclosure.objects.count() == 1


def test_pending_process_answers_what_a_crash_left(member):
    bind_phone(member, PHONE)
    for n, text in enumerate(["SALDO", "BANTUAN"]):
        InboundMessage.objects.create(channel="sms", sender=PHONE, text=text, external_id=f"p{n}", received_at=NOW)
    done = receive("BANTUAN")
    later = NOW + timedelta(minutes=5)
    assert pending_process(now=later) == 2
    assert pending_process(now=later) == 0
    answered = InboundMessage.objects.exclude(pk=done.pk).order_by("external_id")
    assert [(m.reply[:9], m.processed_at) for m in answered] == [("Saldo KPJ", later), ("Layanan s", later)]
    assert list(Disclosure.objects.values_list("at", flat=True)) == [later]


def test_pending_process_leaves_whatsapp_messages_to_whatsapp_pending():
    InboundMessage.objects.create(channel="whatsapp", sender=PHONE, text="SALDO", external_id="wamid.1",
                                  received_at=NOW)
    assert pending_process(now=NOW + timedelta(minutes=5)) == 0
    assert InboundMessage.objects.get(external_id="wamid.1").reply is None


def test_pending_process_leaves_messages_from_the_future_alone():
    InboundMessage.objects.create(channel="sms", sender=PHONE, text="x", external_id="f", received_at=NOW)
    assert pending_process(now=NOW - timedelta(seconds=1)) == 0


def test_the_rate_limit_counts_the_messages_received(member):
    replies = [receive("BANTUAN", at=NOW + timedelta(seconds=i)).reply for i in range(21)]
    assert replies[19].startswith("Layanan saldo")
    assert replies[20] == "Terlalu banyak pesan dari nomor ini. Coba lagi 60 menit lagi."
    assert receive("BANTUAN", at=NOW + timedelta(minutes=61)).reply.startswith("Layanan saldo")


def test_text_postgresql_cannot_store_is_kept_as_near_as_it_can():
    message = receive("SALDO\x00 \ud800")
    assert message.text == "SALDO\ufffd ?"
    assert message.reply


def test_a_very_long_external_id_still_deduplicates():
    first = receive("BANTUAN", external_id="x" * 300)
    assert receive("BANTUAN", external_id="x" * 300).pk == first.pk
    assert len(first.external_id) <= 100


def test_the_log_never_shows_the_number_or_the_text(member, caplog):
    caplog.set_level("DEBUG", logger="saldo.channels")
    receive(f"DAFTAR SALDO#{member.person.nik}#07-10-1987#{KPJ}")
    assert caplog.messages
    for line in caplog.messages:
        assert "1234567890" not in line and member.person.nik not in line and "DAFTAR" not in line


# Whatever comes in gets a well-formed answer.

member_like = st.sampled_from(["DAFTAR SALDO", "daftar saldo", "SALDO", "STATUS", "BANTUAN", "DAFTARSALDO#", ""])
field = st.one_of(
    st.text(max_size=25),
    st.text(alphabet="0123456789 -/.", max_size=20),
    st.sampled_from(["3278064710870007", KPJ, "07-10-87", "07101987", "NENG KURNIASIH", "a@b.co", "-", "#", ""]),
)
texts = st.one_of(
    st.text(max_size=300),
    st.builds(lambda head, parts: head + "#".join(parts), member_like, st.lists(field, max_size=8)),
    st.builds(lambda head, rest: f"{head} {rest}", member_like, st.text(max_size=40)),
    st.builds(lambda chunk, n: chunk * n, st.text(min_size=1, max_size=5), st.integers(100, 700)),
    st.builds(lambda n: "#" * n, st.integers(0, 3000)),
)
@pytest.fixture
def bound_member(member):
    bind_phone(member, "+6285712345678")
    return member


senders = st.one_of(st.sampled_from(["081234567890", "+6285712345678", "2757", ""]), st.text(max_size=30))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, sender=senders)
def test_no_input_breaks_the_short_code(bound_member, text, sender):
    # Examples share the database (no rollback between them): the rate limit and the
    # registration lock come into play too, as they would in production.
    message = receive(text, sender=sender)
    assert message.reply
    assert gsm7.is_gsm7(message.reply)
    assert gsm7.septets(message.reply) <= 160
    assert bound_member.person.nik not in message.reply
