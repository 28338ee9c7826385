"""Member accounts: registration anchored on the contacts on record, activation by PIN, login."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail

from saldo.channels.models import OutboundMessage
from saldo.core.errors import ValidationError
from saldo.identity.accounts import (
    EmailTaken,
    LoginLocked,
    LoginRefused,
    LoginSlowed,
    Registration,
    RegistrationStarted,
    account_activate,
    account_login,
    account_login_with_pin,
    account_register,
    login_pin_send,
)
from saldo.identity.models import AccessFreeze, MemberAccount, RegistrationAttempt, SecurityEvent
from saldo.identity.pins import PinExpired, PinWrong
from saldo.identity.selectors import account_membership, account_memberships
from saldo.identity.services import (
    AccessFrozen,
    ContactNotOnRecord,
    RegistrationLocked,
    RegistrationRefused,
    phone_register,
    registration_keys,
)
from saldo.registry.models import Person
from tests.factories import make_account, make_member, pin_sent_to

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
PHONE = "+6281234567890"  # on record
EMAIL = "neng@example.com"  # on record
STRANGER = "+6289912345678"
PASSWORD = "rahasia-Saldo-2026"


@pytest.fixture
def member():
    membership = make_member(kpj="68516716147", name="NENG KURNIASIH", phone=PHONE)
    Person.objects.filter(id=membership.person_id).update(email=EMAIL)
    membership.person.refresh_from_db()
    return membership


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


def texts_to(phone: str) -> list[str]:
    return list(OutboundMessage.objects.filter(to=phone).order_by("id").values_list("text", flat=True))


def notices(member) -> list[str]:
    return list(SecurityEvent.objects.filter(person=member.person).order_by("id").values_list("kind", flat=True))


# --- the contacts on record --------------------------------------------------------------------


def test_matching_data_and_contacts_make_an_inactive_account_and_text_the_pin_to_the_phone_on_record(
    member, delivered
):
    with delivered():
        started = account_register(registration=registration(member), channel="web", now=NOW)
    account = MemberAccount.objects.get(id=started.account_id)
    assert started == RegistrationStarted(account.id, "+62812*****890")
    assert (account.person, account.user.email, account.user.is_active) == (member.person, EMAIL, False)
    assert len(pin_sent_to(PHONE)) == 6
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_the_owner_is_told_when_the_account_opens(member):
    started = account_register(registration=registration(member), channel="web", now=NOW)
    account_activate(account_id=started.account_id, pin=pin_sent_to(PHONE), password=PASSWORD, now=NOW)
    assert notices(member) == ["account_opened"]
    assert texts_to(PHONE)[-1].startswith("Saldo: akun Saldo Anda dibuka, 26-11-2026 10:00 WIB lewat situs web.")
    assert "Bukan Anda? Balas BUKAN " in texts_to(PHONE)[-1]


@pytest.mark.parametrize("changes", [
    {"phone": STRANGER},  # someone else's phone with the member's identity data
    {"email": "penipu@example.com"},
    {"phone": STRANGER, "email": "penipu@example.com"},
])
def test_a_phone_or_email_not_on_record_opens_nothing_and_tells_the_owner(member, changes, delivered):
    with delivered(), pytest.raises(ContactNotOnRecord) as refused:
        account_register(registration=registration(member, **changes), channel="web", now=NOW)
    assert refused.value.code == "contact_not_on_record"
    assert "ajukan perubahan data kontak" in refused.value.message
    assert MemberAccount.objects.count() == 0
    assert texts_to(STRANGER) == []
    assert notices(member) == ["registration_attempt"]
    [notice] = texts_to(PHONE)
    assert notice.startswith("Saldo: ada yang mendaftarkan akun atas nama Anda dengan ponsel/email lain,")
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert list(RegistrationAttempt.objects.values_list("succeeded", flat=True)) == [False]


@pytest.mark.parametrize("field", ["phone", "email"])
def test_a_record_without_that_contact_opens_nothing(member, field):
    Person.objects.filter(id=member.person_id).update(**{field: ""})
    with pytest.raises(ContactNotOnRecord):
        account_register(registration=registration(member), channel="web", now=NOW)
    assert MemberAccount.objects.count() == 0


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
def test_any_identity_mismatch_gets_the_same_refusal_and_makes_nothing(member, field, value):
    with pytest.raises(RegistrationRefused) as refused:
        account_register(registration=registration(member, **{field: value}), channel="web", now=NOW)
    assert refused.value.code == "registration_refused"
    assert MemberAccount.objects.count() == 0
    assert texts_to(PHONE) == []


def test_a_bad_email_or_phone_is_a_field_error(member):
    with pytest.raises(ValidationError) as invalid:
        account_register(registration=registration(member, email="neng@", phone="12"), channel="web", now=NOW)
    assert sorted(e.field for e in invalid.value.errors) == ["email", "phone"]


def test_activation_needs_the_pin_and_a_strong_password(member):
    started = account_register(registration=registration(member), channel="web", now=NOW)
    with pytest.raises(ValidationError) as weak:
        account_activate(account_id=started.account_id, pin=pin_sent_to(PHONE), password="12345678", now=NOW)
    assert {e.field for e in weak.value.errors} == {"password"}
    with pytest.raises(PinWrong):
        account_activate(account_id=started.account_id, pin="000000" if pin_sent_to(PHONE) != "000000" else "111111",
                         password=PASSWORD, now=NOW)
    account = account_activate(account_id=started.account_id, pin=pin_sent_to(PHONE), password=PASSWORD, now=NOW)
    assert account.user.is_active and account.activated_at == NOW
    assert account_login(email="NENG@example.com ", password=PASSWORD, now=NOW) == account


# --- a registration never overwrites, never tells who has an account ---------------------------


def test_a_second_registration_leaves_the_first_pin_working_and_tells_the_owner(member):
    first = account_register(registration=registration(member), channel="web", now=NOW)
    pin = pin_sent_to(PHONE)
    second = account_register(registration=registration(member), channel="api", now=NOW + timedelta(minutes=1))
    assert second == first
    assert notices(member) == ["registration_again"]
    assert pin_sent_to(PHONE) == pin  # the notice carries no PIN: the first SMS is still the latest PIN
    account_activate(account_id=first.account_id, pin=pin, password=PASSWORD, now=NOW + timedelta(minutes=2))


def test_once_the_first_pin_has_expired_a_registration_sends_a_new_one(member):
    account_register(registration=registration(member), channel="web", now=NOW)
    first = pin_sent_to(PHONE)
    later = NOW + timedelta(minutes=6)
    started = account_register(registration=registration(member), channel="web", now=later)
    assert pin_sent_to(PHONE) != first or len(texts_to(PHONE)) == 2
    account_activate(account_id=started.account_id, pin=pin_sent_to(PHONE), password=PASSWORD, now=later)


def test_registering_a_person_who_has_an_account_answers_as_a_new_registration_would(member):
    account = make_account(member, email=EMAIL, phone=PHONE)
    before = len(texts_to(PHONE))
    started = account_register(registration=registration(member), channel="web", now=NOW + timedelta(days=1))
    assert started == RegistrationStarted(account.id, "+62812*****890")
    assert notices(member)[-1] == "registration_again"
    assert len(texts_to(PHONE)) == before + 1  # the notice, not a PIN
    with pytest.raises(PinExpired):
        account_activate(account_id=account.id, pin="123456", password=PASSWORD, now=NOW + timedelta(days=1))


def test_a_repeated_registration_tells_the_owner_once_an_hour(member):
    make_account(member, email=EMAIL, phone=PHONE)
    for minutes in range(0, 50, 10):
        account_register(registration=registration(member), channel="web", now=NOW + timedelta(days=1, minutes=minutes))
    assert notices(member).count("registration_again") == 1


# --- failures count per number, KPJ, NIK and address ------------------------------------------


@pytest.fixture
def two_failures(settings):
    settings.SALDO_CHANNELS = {**settings.SALDO_CHANNELS, "REGISTRATION_MAX_FAILURES": 2,
                               "REGISTRATION_CLIENT_MAX_FAILURES": 2}


def test_failures_on_any_channel_lock_the_number(member, two_failures):
    person = member.person
    with pytest.raises(RegistrationRefused):  # SMS DAFTAR with a wrong birth date
        phone_register(phone=PHONE, channel="sms", nik=person.nik, birth_date=person.birth_date - timedelta(days=1),
                       kpj=member.kpj, now=NOW)
    with pytest.raises(RegistrationRefused):  # the web form with a wrong name
        account_register(registration=registration(member, name="SITI AMINAH"), channel="web", now=NOW)
    with pytest.raises(RegistrationLocked) as locked:  # now even the right data, with this phone
        account_register(registration=registration(member), channel="web", now=NOW + timedelta(hours=1))
    assert locked.value.until == NOW + timedelta(hours=24)
    assert locked.value.message.endswith("coba lagi setelah 27-11-2026 10:00 WIB atau datang ke kantor cabang.")
    account_register(registration=registration(member), channel="web", now=NOW + timedelta(hours=24, seconds=1))


@pytest.mark.parametrize("same", ["kpj", "nik"])
def test_failures_with_new_numbers_each_time_still_lock_the_kpj_and_the_nik(member, two_failures, same):
    wrong = {"kpj": {"nik": "3201010101900001"}, "nik": {"kpj": "99999999999"}}[same]
    for n, phone in enumerate(["081100000001", "081100000002"]):
        with pytest.raises(RegistrationRefused):
            account_register(registration=registration(member, phone=phone, **wrong), channel="api",
                             now=NOW + timedelta(minutes=n))
    with pytest.raises(RegistrationLocked):
        account_register(registration=registration(member), channel="web", now=NOW + timedelta(minutes=5))
    assert MemberAccount.objects.count() == 0


def test_failures_from_one_client_address_lock_that_address(member, two_failures):
    other = make_member(kpj="34086313831")
    for who, phone in [(member, "081100000001"), (other, "081100000002")]:
        with pytest.raises(RegistrationRefused):
            account_register(registration=registration(who, name="SALAH", phone=phone), channel="web", now=NOW,
                             client="203.0.113.9")
    with pytest.raises(RegistrationLocked):
        account_register(registration=registration(member), channel="web", now=NOW, client="203.0.113.9")
    account_register(registration=registration(member), channel="web", now=NOW, client="198.51.100.7")


def test_an_email_on_record_that_is_another_accounts_login_is_refused_and_counted(member):
    make_account(make_member(), email=EMAIL, phone="+6281199990000")
    Person.objects.filter(id=member.person_id).update(email=EMAIL)  # two people sharing one address
    with pytest.raises(EmailTaken) as taken:
        account_register(registration=registration(member), channel="web", now=NOW)
    assert [e.field for e in taken.value.errors] == ["email"]
    keys = registration_keys(kpj=member.kpj)
    assert list(RegistrationAttempt.objects.filter(kpj=keys.kpj).values_list("succeeded", flat=True)) == [False]
    assert not RegistrationAttempt.objects.filter(kpj=member.kpj).exists()  # a keyed hash, not the KPJ


# --- death and "not me" ------------------------------------------------------------------------


def test_a_deceased_person_cannot_register_or_log_in(member):
    make_account(member, email=EMAIL, phone=PHONE)
    Person.objects.filter(id=member.person_id).update(deceased_on=date(2026, 11, 1))
    with pytest.raises(RegistrationRefused):
        account_register(registration=registration(member), channel="web", now=NOW)
    with pytest.raises(LoginRefused):
        account_login(email=EMAIL, password=PASSWORD, now=NOW)


def test_a_frozen_person_cannot_register_or_log_in(member):
    make_account(member, email=EMAIL, phone=PHONE)
    AccessFreeze.objects.create(person=member.person, frozen_at=NOW, reason="bukan saya")
    with pytest.raises(AccessFrozen):
        account_register(registration=registration(member), channel="web", now=NOW)
    with pytest.raises(AccessFrozen):
        account_login(email=EMAIL, password=PASSWORD, now=NOW)


# --- login -------------------------------------------------------------------------------------


def test_login_refuses_alike_a_wrong_password_and_an_unknown_email(member):
    make_account(member, email=EMAIL, phone=PHONE)
    for email, password in [(EMAIL, "salah-sekali-123"), ("nobody@example.com", PASSWORD)]:
        with pytest.raises(LoginRefused) as refused:
            account_login(email=email, password=password, now=NOW)
        assert str(refused.value) == "Email atau kata sandi salah."


def test_five_failures_lock_that_client_only_and_say_until_when(member):
    make_account(member, email=EMAIL, phone=PHONE)
    for _ in range(5):
        with pytest.raises(LoginRefused):
            account_login(email=EMAIL, password="salah-sekali-123", now=NOW, client="203.0.113.9")
    with pytest.raises(LoginLocked) as locked:
        account_login(email=EMAIL, password=PASSWORD, now=NOW + timedelta(minutes=1), client="203.0.113.9")
    assert locked.value.until == NOW + timedelta(minutes=15)
    assert locked.value.message.endswith("coba lagi setelah 26-11-2026 10:15 WIB.")
    account_login(email=EMAIL, password=PASSWORD, now=NOW + timedelta(minutes=16), client="203.0.113.9")


def test_a_stranger_slows_the_email_down_but_never_locks_the_owner_out(member):
    make_account(member, email=EMAIL, phone=PHONE)
    for n in range(5):  # from five addresses
        with pytest.raises(LoginRefused):
            account_login(email=EMAIL, password="salah-sekali-123", now=NOW, client=f"203.0.113.{n}")
    # The owner, elsewhere: a short wait (doubling with every further failure), not a lock.
    with pytest.raises(LoginSlowed) as slowed:
        account_login(email=EMAIL, password=PASSWORD, now=NOW + timedelta(seconds=10), client="198.51.100.7")
    assert slowed.value.until == NOW + timedelta(seconds=30)
    assert "masuk sekarang dengan PIN yang dikirim ke ponsel tercatat" in slowed.value.message
    # ... or at once with a PIN sent to the phone on record.
    login_pin_send(email=EMAIL, now=NOW + timedelta(seconds=10))
    account = account_login_with_pin(email=EMAIL, pin=pin_sent_to(PHONE), password=PASSWORD,
                                     now=NOW + timedelta(seconds=11), client="198.51.100.7")
    assert account.person == member.person
    assert account_login(email=EMAIL, password=PASSWORD, now=NOW + timedelta(seconds=31),
                         client="198.51.100.7") == account


def test_a_pin_log_in_checks_the_pin_before_the_password_and_needs_both(member):
    make_account(member, email=EMAIL, phone=PHONE)
    login_pin_send(email=EMAIL, now=NOW)
    pin = pin_sent_to(PHONE)
    with pytest.raises(PinWrong):
        account_login_with_pin(email=EMAIL, pin="000000" if pin != "000000" else "111111", password=PASSWORD,
                               now=NOW)
    with pytest.raises(LoginRefused):
        account_login_with_pin(email=EMAIL, pin=pin, password="salah-sekali-123", now=NOW)
    with pytest.raises(PinExpired):  # an email without an account: as if no PIN had come
        account_login_with_pin(email="nobody@example.com", pin=pin, password=PASSWORD, now=NOW)
    texts_before = len(texts_to(PHONE))
    login_pin_send(email="nobody@example.com", now=NOW)
    assert len(texts_to(PHONE)) == texts_before


def test_an_account_sees_only_its_own_cards(member):
    second = make_member(person=member.person, kpj="34086313831", start_date=member.start_date.replace(year=2022))
    stranger = make_member()
    assert account_memberships(person_id=member.person_id) == [second, member]
    assert account_membership(person_id=member.person_id, kpj=second.kpj) == second
    assert account_membership(person_id=member.person_id, kpj=stranger.kpj) is None
