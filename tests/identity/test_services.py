"""Binding a phone number to a KPJ: the registry check, idempotency, and the lock after failures."""

from datetime import UTC, date, datetime, timedelta

import pytest

from saldo.core.errors import ValidationError
from saldo.identity.models import PhoneBinding, RegistrationAttempt
from saldo.identity.selectors import phone_kpjs, phone_membership, registration_locked_until
from saldo.identity.services import RegistrationLocked, RegistrationRefused, names_match, phone_register
from tests.factories import make_member

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
PHONE = "+6281234567890"
BORN = date(1987, 10, 7)


@pytest.fixture
def member():
    return make_member(kpj="68516716147", birth_date=BORN, sex="F", name="NENG KURNIASIH")


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


def test_matching_data_binds_the_number_to_the_kpj(member):
    binding = register(member, phone="0812-3456-7890")
    assert (binding.phone, binding.membership, binding.channel, binding.bound_at) == (PHONE, member, "sms", NOW)
    assert list(RegistrationAttempt.objects.values_list("phone", "succeeded")) == [(PHONE, True)]
    assert phone_kpjs(phone=PHONE) == [member.kpj]
    assert phone_membership(phone=PHONE, kpj=member.kpj) == member


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
    assert registration_locked_until(phone=PHONE, now=NOW + timedelta(hours=24)) is None
    assert register(member, now=NOW + timedelta(hours=24)).membership == member


def test_failures_of_another_number_do_not_lock_this_one(member):
    for _ in range(5):
        with pytest.raises(RegistrationRefused):
            register(member, phone="+6281111111111", birth_date=date(2000, 1, 1))
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
