"""Member accounts: registration checked against the registry, activation by PIN, login with lockout."""

from datetime import UTC, datetime, timedelta

import pytest

from saldo.channels.models import OutboundMessage
from saldo.core.errors import ValidationError
from saldo.identity.accounts import (
    AccountExists,
    LoginLocked,
    LoginRefused,
    Registration,
    account_activate,
    account_login,
    account_register,
)
from saldo.identity.models import MemberAccount
from saldo.identity.pins import PinWrong
from saldo.identity.selectors import account_membership, account_memberships
from saldo.identity.services import RegistrationLocked, RegistrationRefused, phone_register
from tests.factories import make_account, make_member, pin_sent_to

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
PHONE = "+6281234567890"
PASSWORD = "rahasia-Saldo-2026"


@pytest.fixture
def member():
    return make_member(kpj="68516716147", name="NENG KURNIASIH")


def registration(member, **changes) -> Registration:
    person = member.person
    values = {
        "kpj": member.kpj,
        "nik": person.nik,
        "birth_date": person.birth_date,
        "name": person.name,
        "phone": "0812-3456-7890",
        "email": "Neng@Example.com",
        "mother_maiden_name": person.mother_maiden_name,
    }
    return Registration(**{**values, **changes})


def test_matching_data_make_an_inactive_account_and_text_the_activation_pin(member):
    account = account_register(registration=registration(member), channel="web", now=NOW)
    assert (account.person, account.phone, account.user.email, account.user.is_active) == (
        member.person,
        PHONE,
        "neng@example.com",
        False,
    )
    assert len(pin_sent_to(PHONE)) == 6


def test_names_are_compared_without_case_spacing_or_titles(member):
    account_register(
        registration=registration(member, name="  neng   kurniasih, S.E.", mother_maiden_name="ratna"),
        channel="web",
        now=NOW,
    )


@pytest.mark.parametrize(
    "field, value",
    [("nik", "3201010101900001"), ("name", "NENG KURNIA"), ("mother_maiden_name", "SRI"), ("kpj", "99999999999")],
)
def test_any_mismatch_gets_the_same_refusal_and_makes_nothing(member, field, value):
    with pytest.raises(RegistrationRefused) as refused:
        account_register(registration=registration(member, **{field: value}), channel="web", now=NOW)
    assert refused.value.code == "registration_refused"
    assert MemberAccount.objects.count() == 0


def test_a_bad_email_or_phone_is_a_field_error(member):
    with pytest.raises(ValidationError) as invalid:
        account_register(registration=registration(member, email="neng@", phone="12"), channel="web", now=NOW)
    assert sorted(e.field for e in invalid.value.errors) == ["email", "phone"]


def test_activation_needs_the_pin_and_a_strong_password(member):
    account = account_register(registration=registration(member), channel="web", now=NOW)
    with pytest.raises(ValidationError) as weak:
        account_activate(account_id=account.id, pin=pin_sent_to(PHONE), password="12345678", now=NOW)
    assert {e.field for e in weak.value.errors} == {"password"}
    with pytest.raises(PinWrong):
        account_activate(account_id=account.id, pin="000000" if pin_sent_to(PHONE) != "000000" else "111111",
                         password=PASSWORD, now=NOW)
    account = account_activate(account_id=account.id, pin=pin_sent_to(PHONE), password=PASSWORD, now=NOW)
    assert account.user.is_active and account.activated_at == NOW
    assert account_login(email="NENG@example.com ", password=PASSWORD, now=NOW) == account


def test_a_second_registration_of_an_activated_person_is_told_to_log_in(member):
    make_account(member, email="neng@example.com")
    with pytest.raises(AccountExists):
        account_register(registration=registration(member), channel="web", now=NOW)


def test_a_phone_with_too_many_failed_registrations_on_any_channel_is_locked_for_a_while(member, settings):
    settings.SALDO_CHANNELS = {**settings.SALDO_CHANNELS, "REGISTRATION_MAX_FAILURES": 2}
    person = member.person
    with pytest.raises(RegistrationRefused):  # SMS DAFTAR with a wrong birth date
        phone_register(phone=PHONE, channel="sms", nik=person.nik, birth_date=person.birth_date - timedelta(days=1),
                       kpj=member.kpj, now=NOW)
    with pytest.raises(RegistrationRefused):  # the web form with a wrong name
        account_register(registration=registration(member, name="SITI AMINAH"), channel="web", now=NOW)

    with pytest.raises(RegistrationLocked) as locked:  # now even the right data, from this phone
        account_register(registration=registration(member), channel="web", now=NOW + timedelta(hours=1))
    assert locked.value.until == NOW + timedelta(hours=24)
    assert MemberAccount.objects.count() == 0
    assert not OutboundMessage.objects.filter(to=PHONE).exists()
    # Another phone is not locked, and this one opens again when the window has passed.
    account_register(registration=registration(member, phone="081299998888"), channel="web", now=NOW)
    account_register(registration=registration(member), channel="web", now=NOW + timedelta(hours=24, seconds=1))
    assert len(pin_sent_to(PHONE)) == 6


def test_an_email_of_another_account_is_refused_and_counts_as_a_failed_registration(member, settings):
    settings.SALDO_CHANNELS = {**settings.SALDO_CHANNELS, "REGISTRATION_MAX_FAILURES": 2}
    make_account(make_member(), email="neng@example.com")
    make_account(make_member(), email="siti@example.com")
    for email in ["neng@example.com", "siti@example.com"]:
        with pytest.raises(ValidationError) as taken:
            account_register(registration=registration(member, email=email), channel="web", now=NOW)
        assert [e.field for e in taken.value.errors] == ["email"]
    # Testing emails for an account stops at the limit, even with an email that is free.
    with pytest.raises(RegistrationLocked):
        account_register(registration=registration(member, email="baru@example.com"), channel="web", now=NOW)


def test_login_refuses_alike_a_wrong_password_and_an_unknown_email(member):
    make_account(member, email="neng@example.com")
    for email, password in [("neng@example.com", "salah-sekali-123"), ("nobody@example.com", PASSWORD)]:
        with pytest.raises(LoginRefused) as refused:
            account_login(email=email, password=password, now=NOW)
        assert str(refused.value) == "Email atau kata sandi salah."


def test_five_failures_lock_the_email_for_fifteen_minutes(member):
    make_account(member, email="neng@example.com")
    for _ in range(5):
        with pytest.raises(LoginRefused):
            account_login(email="neng@example.com", password="salah-sekali-123", now=NOW)
    with pytest.raises(LoginLocked) as locked:
        account_login(email="neng@example.com", password=PASSWORD, now=NOW + timedelta(minutes=1))
    assert locked.value.until == NOW + timedelta(minutes=15)
    account_login(email="neng@example.com", password=PASSWORD, now=NOW + timedelta(minutes=16))


def test_an_account_sees_only_its_own_cards(member):
    second = make_member(person=member.person, kpj="34086313831", start_date=member.start_date.replace(year=2022))
    stranger = make_member()
    assert account_memberships(person_id=member.person_id) == [second, member]
    assert account_membership(person_id=member.person_id, kpj=second.kpj) == second
    assert account_membership(person_id=member.person_id, kpj=stranger.kpj) is None
