"""Binding a phone number to a KPJ: the registry check, the phone on record as the anchor (bound at
once from it, by a PIN sent to it from any other number), idempotency, and the lock after failures."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from saldo.channels.models import OutboundMessage
from saldo.core.errors import ValidationError
from saldo.identity.models import AccessFreeze, PhoneBinding, PhoneBindingEnded, RegistrationAttempt, SecurityEvent
from saldo.identity.pins import PinExpired, PinWrong
from saldo.identity.selectors import AttemptKeys, phone_kpjs, phone_membership, registration_locked_until
from saldo.identity.services import (
    AccessFrozen,
    BindingPending,
    NoPhoneOnRecord,
    RegistrationLocked,
    RegistrationRefused,
    binding_confirm,
    bindings_end,
    names_match,
    phone_register,
)
from saldo.registry.models import Person
from tests.factories import make_member

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
PHONE = "+6281234567890"  # on record
OTHER = "+6289912345678"
BORN = date(1987, 10, 7)


@pytest.fixture
def member():
    return make_member(kpj="68516716147", birth_date=BORN, sex="F", name="NENG KURNIASIH", phone=PHONE)


def register(member, **changes):
    values = {
        "phone": PHONE,
        "channel": "sms",
        "nik": member.person.nik,
        "birth_date": BORN,
        "kpj": member.kpj,
        "name": None,
        "email": None,
        "now": NOW,
    }
    return phone_register(**{**values, **changes})


def texts_to(phone: str) -> list[str]:
    return list(OutboundMessage.objects.filter(to=phone).order_by("id").values_list("text", flat=True))


def pin_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def test_an_sms_from_the_phone_on_record_binds_it_at_once_and_tells_the_owner(member):
    binding = register(member, phone="0812-3456-7890")
    assert (binding.phone, binding.membership, binding.channel, binding.bound_at) == (PHONE, member, "sms", NOW)
    assert list(RegistrationAttempt.objects.values_list("phone", "succeeded")) == [(PHONE, True)]
    assert phone_kpjs(phone=PHONE) == [member.kpj]
    assert phone_membership(phone=PHONE, kpj=member.kpj) == member
    [notice] = texts_to(PHONE)
    assert notice.startswith("Saldo: nomor +62812*****890 didaftarkan untuk KPJ 68516716147, 26-11-2026 10:00 WIB")


def test_another_number_is_bound_only_with_the_pin_sent_to_the_phone_on_record(member):
    pending = register(member, phone=OTHER)
    assert pending == BindingPending(sent_to="+62812*****890", kpj=member.kpj)
    assert PhoneBinding.objects.count() == 0 and texts_to(OTHER) == []
    [sms] = texts_to(PHONE)
    assert sms.startswith("PIN Saldo ") and "untuk mendaftarkan nomor +62899*****678 ke KPJ 68516716147" in sms
    with pytest.raises(PinWrong):
        binding_confirm(phone=OTHER, code="000000" if pin_in(sms) != "000000" else "111111", channel="sms", now=NOW)
    binding = binding_confirm(phone=OTHER, code=pin_in(sms), channel="sms", now=NOW)
    assert (binding.phone, binding.membership) == (OTHER, member)
    assert texts_to(PHONE)[-1].startswith("Saldo: nomor +62899*****678 didaftarkan untuk KPJ 68516716147")


def test_a_pin_cannot_bind_a_number_it_was_not_sent_for(member):
    register(member, phone=OTHER)
    with pytest.raises(PinExpired):
        binding_confirm(phone="+6285600001111", code=pin_in(texts_to(PHONE)[0]), channel="sms", now=NOW)


def test_whatsapp_always_needs_the_pin_even_from_the_phone_on_record(member):
    assert isinstance(register(member, channel="whatsapp"), BindingPending)
    assert PhoneBinding.objects.count() == 0


def test_without_a_phone_on_record_no_number_can_be_bound(member):
    Person.objects.filter(id=member.person_id).update(phone="")
    with pytest.raises(NoPhoneOnRecord):
        register(member, phone=OTHER)
    assert PhoneBinding.objects.count() == 0


def test_twenty_six_numbers_asking_for_one_kpj_bind_nothing(member):
    for n in range(26):
        phone = f"+62856{n:07d}"
        try:
            register(member, phone=phone, now=NOW + timedelta(minutes=n))
        except Exception as refused:  # the PIN limit per hour or the lock stops them too
            assert refused.code in ("pin_rate_limited", "registration_locked")
    assert PhoneBinding.objects.count() == 0
    assert {m.to for m in OutboundMessage.objects.all()} == {PHONE}


def test_a_frozen_or_deceased_person_gets_no_binding(member):
    AccessFreeze.objects.create(person=member.person, frozen_at=NOW, reason="bukan saya")
    with pytest.raises(AccessFrozen):
        register(member)
    AccessFreeze.objects.update(cleared_at=NOW)
    Person.objects.filter(id=member.person_id).update(deceased_on=date(2026, 11, 1))
    with pytest.raises(RegistrationRefused):
        register(member)
    assert PhoneBinding.objects.count() == 0


def test_ending_bindings_keeps_them_on_record_and_may_spare_the_phone_on_record(member):
    register(member)
    register(member, phone=OTHER)
    binding_confirm(phone=OTHER, code=pin_in(texts_to(PHONE)[1]), channel="sms", now=NOW)
    assert bindings_end(person_id=member.person_id, now=NOW, reason="not_me", keep_phone=PHONE) == 1
    assert list(PhoneBinding.objects.values_list("phone", flat=True)) == [PHONE]
    assert list(PhoneBindingEnded.objects.values_list("phone", "reason")) == [(OTHER, "not_me")]
    assert SecurityEvent.objects.filter(kind="number_bound").count() == 2


def test_registering_again_is_the_same_binding(member):
    first = register(member)
    again = register(member, now=NOW + timedelta(hours=1))
    assert again == first
    assert PhoneBinding.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["NENG KURNIASIH", "neng kurniasih", "Neng  Kurniasih", "Hj. Neng Kurniasih, S.E.", "IBU NENG KURNIASIH"]
)
def test_the_name_is_compared_leniently(member, name):
    assert register(member, name=name).membership == member


@pytest.mark.parametrize(
    "change",
    [
        {"nik": "3578014710870001"},
        {"birth_date": date(1987, 10, 8)},
        {"kpj": "99999999999"},
        {"name": "SITI AMINAH"},
    ],
    ids=["nik", "birth date", "unknown kpj", "name"],
)
def test_any_mismatch_is_refused_and_counted(member, change):
    with pytest.raises(RegistrationRefused):
        register(member, **change)
    assert PhoneBinding.objects.count() == 0
    assert list(RegistrationAttempt.objects.values_list("succeeded", flat=True)) == [False]


def test_a_kpj_of_another_person_is_refused(member):
    other = make_member(kpj="11111111111", birth_date=date(1990, 1, 1), sex="M", name="BUDI")
    with pytest.raises(RegistrationRefused):
        register(member, kpj=other.kpj)


def test_the_email_is_ignored(member):
    assert register(member, email="someone.else@example.com").membership == member


def test_a_number_that_is_not_an_indonesian_mobile_is_refused(member):
    with pytest.raises(ValidationError):
        register(member, phone="+4915112345678")
    assert RegistrationAttempt.objects.count() == 0


def test_five_failures_in_a_day_lock_the_number_until_the_first_leaves_the_window(member):
    for minute in range(5):
        with pytest.raises(RegistrationRefused):
            register(member, birth_date=date(2000, 1, 1), now=NOW + timedelta(minutes=minute))
    with pytest.raises(RegistrationLocked) as locked:
        register(member, now=NOW + timedelta(hours=1))  # even with the right data
    assert locked.value.until == NOW + timedelta(hours=24)
    assert registration_locked_until(keys=AttemptKeys(phone=PHONE), now=NOW + timedelta(hours=24)) is None
    assert register(member, now=NOW + timedelta(hours=24)).membership == member


def test_failures_of_another_number_for_another_kpj_do_not_lock_this_one(member):
    other = make_member(kpj="11111111111", birth_date=date(1990, 1, 1), sex="M", name="BUDI")
    for _ in range(5):
        with pytest.raises(RegistrationRefused):
            register(other, phone="+6281111111111", birth_date=date(2000, 1, 1))
    assert register(member).membership == member


def test_four_failures_do_not_lock(member):
    for _ in range(4):
        with pytest.raises(RegistrationRefused):
            register(member, birth_date=date(2000, 1, 1))
    assert register(member).membership == member


@pytest.mark.parametrize(
    ("given", "stored", "same"),
    [
        ("Dr. Ir. H. Ahmad Fauzi, M.M.", "AHMAD FAUZI", True),
        ("H.AHMAD FAUZI", "AHMAD FAUZI", True),
        ("ahmad-fauzi", "AHMAD FAUZI", True),
        ("Bpk Ahmad Fauzi S.Kom", "H. AHMAD FAUZI", True),
        ("Drs. I Gusti Ngurah Rai", "I GUSTI NGURAH RAI", True),
        ("José", "JOSE", True),
        ("AHMAD FAUZAN", "AHMAD FAUZI", False),
        ("AHMAD", "AHMAD FAUZI", False),
        ("Hj.", "HJ. SITI", False),
        ("", "SITI", False),
    ],
)
def test_names_match(given, stored, same):
    assert names_match(given, stored) is same
