"""Security notices to the contacts on record, and the "not me" report that freezes access."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from saldo.channels.commands import gsm7
from saldo.channels.models import OutboundMessage
from saldo.identity.freezes import ReportCodeUnknown, freeze_clear, report_not_me
from saldo.identity.models import AccessFreeze, PhoneBinding, PhoneBindingEnded, SecurityEvent
from saldo.identity.notices import event_what, security_notice
from saldo.identity.selectors import person_frozen
from saldo.registry.models import Person
from saldo.staff.errors import StaffRoleRequired
from saldo.staff.roles import Role
from saldo.staff.services import staff_actor
from tests.factories import bind_phone, make_member, make_staff

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
PHONE = "+6281234567890"
EMAIL = "neng@example.com"
Kind = SecurityEvent.Kind
# The longest details each kind is given in the code (masked values).
DETAILS = {
    Kind.NUMBER_BOUND: {"phone": "+62812*****890", "kpj": "68516716147"},
    Kind.NEW_DEVICE: {"device": "Samsung Galaxy A15 5G"},
    Kind.PHONE_CHANGED: {"phone": "+62812*****890"},
    Kind.EMAIL_CHANGED: {"email": "n***@perusahaan-daerah.co.id"},
    Kind.CONTACT_CHANGE_REQUESTED: {"phone": "+62812*****890"},
    Kind.CLAIM_FILED: {"claim": "KL-20261126-000123", "account": "****7890"},
    Kind.CLAIM_PAID: {"claim": "KL-20261126-000123", "account": "****7890"},
    Kind.BANK_ACCOUNT_ADDED: {"claim": "KL-20261126-000123", "account": "****7890"},
    Kind.BINDINGS_ENDED: {"reason": "peserta meninggal dunia"},
}


@pytest.fixture
def member():
    membership = make_member(kpj="68516716147", name="NENG KURNIASIH", phone=PHONE)
    Person.objects.filter(id=membership.person_id).update(email=EMAIL)
    membership.person.refresh_from_db()
    return membership


def texts_to(phone: str) -> list[str]:
    return list(OutboundMessage.objects.filter(to=phone).order_by("id").values_list("text", flat=True))


def code_in(text: str) -> str:
    return re.search(r"BUKAN ([0-9A-Z]{8})", text).group(1)


def notify(member, kind=Kind.PASSWORD_CHANGED, **details):
    return security_notice(person=member.person, kind=kind, channel="web", now=NOW, **details)


@pytest.mark.parametrize("kind", list(Kind), ids=[k.value for k in Kind])
def test_every_notice_fits_one_sms_and_says_what_when_where_and_how_to_say_not_me(member, kind):
    notify(member, kind, **DETAILS.get(kind, {}))
    [text] = texts_to(PHONE)
    assert gsm7.is_gsm7(text) and gsm7.septets(text) <= 160, text
    assert text.startswith(f"Saldo: {event_what(kind, **DETAILS.get(kind, {}))[:72]}, 26-11-2026 10:00 WIB lewat ")
    assert re.search(r"Bukan Anda\? Balas BUKAN [0-9A-Z]{8} ke 2757\Z", text)


def test_a_notice_goes_to_the_email_on_record_and_to_whatsapp_where_that_number_is_bound(
    member, delivered
):
    bind_phone(member, PHONE, channel="whatsapp")
    with delivered():
        notify(member)
    assert list(OutboundMessage.objects.values_list("channel", "to")) == [("sms", PHONE), ("whatsapp", PHONE)]
    [message] = mail.outbox
    assert (message.to, message.subject) == ([EMAIL], "Pemberitahuan keamanan Saldo")
    assert "Kata sandi akun Saldo Anda diganti pada 26-11-2026 10:00 WIB lewat situs web." in message.body
    assert f"BUKAN {code_in(texts_to(PHONE)[0])}" in message.body and "/bukan-saya/" in message.body


def test_only_a_hash_of_the_report_code_is_kept(member):
    notify(member)
    event = SecurityEvent.objects.get()
    assert code_in(texts_to(PHONE)[0]) not in event.report_code_hash and len(event.report_code_hash) == 64


def test_not_me_freezes_ends_other_numbers_and_is_confirmed_to_the_owner(member):
    bind_phone(member, PHONE)
    bind_phone(member, "+6289912345678")
    notify(member, Kind.NUMBER_BOUND, **DETAILS[Kind.NUMBER_BOUND])
    code = code_in(texts_to(PHONE)[0])
    freeze = report_not_me(code=code.lower(), channel="sms", now=NOW + timedelta(minutes=5))
    assert person_frozen(person_id=member.person_id) and freeze.event.kind == Kind.NUMBER_BOUND
    assert list(PhoneBinding.objects.values_list("phone", flat=True)) == [PHONE]
    assert list(PhoneBindingEnded.objects.values_list("phone", "reason")) == [("+6289912345678", "not_me")]
    assert SecurityEvent.objects.get(kind=Kind.NUMBER_BOUND).reported_at == NOW + timedelta(minutes=5)
    assert [t[:40] for t in texts_to(PHONE)[1:]] == [
        "Saldo: akses online dan klaim dibekukan ",
        "Saldo: nomor SMS/WhatsApp terdaftar diak",
    ]
    # A second report changes nothing more; staff open it again.
    assert report_not_me(code=code, channel="web", now=NOW + timedelta(minutes=6)) == freeze
    with pytest.raises(StaffRoleRequired):
        freeze_clear(freeze_id=freeze.id, actor="member:web", now=NOW + timedelta(days=1))
    clerk = staff_actor(make_staff(Role.REGISTRY_CLERK, username="clerk"))
    freeze_clear(freeze_id=freeze.id, actor=clerk, now=NOW + timedelta(days=1))
    assert not person_frozen(person_id=member.person_id)
    assert AccessFreeze.objects.get().cleared_by == "staff:clerk"


@pytest.mark.parametrize("code, later", [("ZZZZZZZZ", timedelta(minutes=1)), (None, timedelta(days=31))])
def test_an_unknown_or_old_code_freezes_nothing(member, code, later):
    notify(member)
    with pytest.raises(ReportCodeUnknown):
        report_not_me(code=code or code_in(texts_to(PHONE)[0]), channel="sms", now=NOW + later)
    assert not person_frozen(person_id=member.person_id)


def test_a_contact_just_replaced_gets_the_same_notice_and_can_report_it(member, delivered):
    """The account settings change a contact on record and tell the old one too."""
    Person.objects.filter(id=member.person_id).update(phone="+6285711112222", email="neng.baru@example.com")
    member.person.refresh_from_db()
    with delivered():
        notify(member, Kind.PHONE_CHANGED, former_phone=PHONE, former_email=EMAIL, phone="+62857*****222")
    [old], [new] = texts_to(PHONE), texts_to("+6285711112222")
    assert old == new and old.startswith("Saldo: nomor ponsel tercatat diganti ke +62857*****222, ")
    assert sorted(m.to[0] for m in mail.outbox) == ["neng.baru@example.com", EMAIL]
    assert SecurityEvent.objects.count() == 1
    report_not_me(code=code_in(old), channel="sms", now=NOW + timedelta(minutes=1))
    assert person_frozen(person_id=member.person_id)
