"""Account settings: a new password, a new phone or email (password, a PIN to the phone on record,
a PIN to the new contact), and the numbers bound to the member's cards."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import authenticate
from django.core import mail

from saldo.audit.models import Disclosure
from saldo.channels.commands import gsm7
from saldo.channels.models import OutboundMessage
from saldo.core.errors import NotFound, ValidationError
from saldo.identity.account_settings import (
    EMAIL,
    PHONE,
    PasswordWrong,
    ReauthLocked,
    account_binding_end,
    account_bindings,
    contact_change_confirm_new,
    contact_change_confirm_old,
    contact_change_start,
    password_change,
)
from saldo.identity.accounts import LoginLocked, account_login
from saldo.identity.models import LoginFailure, OneTimePin, PhoneBinding, PhoneBindingEnded, SecurityEvent
from saldo.identity.pins import PinExpired, PinRateLimited, PinWrong
from saldo.identity.services import NoPhoneOnRecord
from saldo.registry.models import Person
from tests.factories import bind_phone, make_account, make_member, pin_sent_to

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
OLD_PHONE = "+6281234567890"  # on record
OLD_EMAIL = "neng@example.com"  # on record
NEW_PHONE = "+6285711112222"
NEW_EMAIL = "neng.baru@example.com"
PASSWORD = "rahasia-Saldo-2026"
NEW_PASSWORD = "Saldo-baru-2027!"
CLIENT = "203.0.113.9"
Kind = SecurityEvent.Kind


@pytest.fixture
def member():
    return make_member(kpj="68516716147", name="NENG KURNIASIH", phone=OLD_PHONE)


@pytest.fixture
def account(member):
    return make_account(member, email=OLD_EMAIL, phone=OLD_PHONE, password=PASSWORD, now=NOW)


def texts_to(phone: str) -> list[str]:
    return list(OutboundMessage.objects.filter(to=phone).order_by("id").values_list("text", flat=True))


def notices(person) -> list[str]:
    return list(SecurityEvent.objects.filter(person=person).order_by("id").values_list("kind", flat=True))


def wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def start(account, kind=PHONE, value=NEW_PHONE, password=PASSWORD, now=NOW):
    return contact_change_start(account=account, kind=kind, value=value, password=password, channel="web", now=now,
                                client=CLIENT)


def mailed_pin(to: str) -> str:
    message = [m for m in mail.outbox if m.to == [to]][-1]
    return re.search(r"\b(\d{6})\b", message.body).group(1)


# --- password --------------------------------------------------------------------------------------


def test_a_new_password_takes_the_current_one_and_the_contacts_on_record_are_told(account):
    password_change(account=account, current_password=PASSWORD, new_password=NEW_PASSWORD, channel="web", now=NOW)

    assert authenticate(username=OLD_EMAIL, password=NEW_PASSWORD) == account.user
    assert authenticate(username=OLD_EMAIL, password=PASSWORD) is None
    assert notices(account.person)[-1] == Kind.PASSWORD_CHANGED
    assert texts_to(OLD_PHONE)[-1].startswith("Saldo: kata sandi akun Saldo Anda diganti, 26-11-2026 10:00 WIB")


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failed_log_in(account):
    with pytest.raises(PasswordWrong) as refused:
        password_change(account=account, current_password="salah-sekali-123", new_password=NEW_PASSWORD,
                        channel="web", now=NOW, client=CLIENT)

    assert refused.value.code == "password_wrong"
    assert [(e.field, e.message) for e in refused.value.errors] == [("current_password", "kata sandi salah")]
    assert LoginFailure.objects.count() == 1
    assert authenticate(username=OLD_EMAIL, password=PASSWORD) == account.user
    assert Kind.PASSWORD_CHANGED not in notices(account.person)


def test_five_wrong_passwords_lock_changes_and_log_ins_from_that_client(account):
    for _ in range(5):
        with pytest.raises(PasswordWrong):
            start(account, password="salah-sekali-123")
    later = NOW + timedelta(minutes=1)
    with pytest.raises(ReauthLocked) as locked:  # even with the right password now
        password_change(account=account, current_password=PASSWORD, new_password=NEW_PASSWORD, channel="web",
                        now=later, client=CLIENT)
    assert locked.value.until == NOW + timedelta(minutes=15)
    assert locked.value.message == "Terlalu banyak kata sandi salah. Silakan coba lagi setelah 26-11-2026 10:15 WIB."
    with pytest.raises(LoginLocked):
        account_login(email=OLD_EMAIL, password=PASSWORD, now=later, client=CLIENT)
    assert OutboundMessage.objects.filter(text__contains="mengganti nomor").count() == 0


@pytest.mark.parametrize(("new_password", "message"), [
    ("12345678", "Kata sandi ini terlalu umum."),
    (PASSWORD, "kata sandi baru sama dengan yang lama"),
])
def test_a_weak_or_unchanged_new_password_is_refused_on_its_field(account, new_password, message):
    with pytest.raises(ValidationError) as weak:
        password_change(account=account, current_password=PASSWORD, new_password=new_password, channel="web",
                        now=NOW)
    assert message in [e.message for e in weak.value.errors if e.field == "new_password"]
    assert Kind.PASSWORD_CHANGED not in notices(account.person)


# --- a new phone ---------------------------------------------------------------------------------------


def test_a_new_phone_takes_the_password_a_pin_to_the_old_phone_then_one_to_the_new(account, member, delivered):
    other_card = make_member(kpj="34086313831", person=member.person)
    bind_phone(member, OLD_PHONE)
    bind_phone(other_card, OLD_PHONE, channel="whatsapp")
    bind_phone(member, "+6289900001111")  # another number of hers: stays bound

    before = len(texts_to(OLD_PHONE))  # the account's opening
    sent = start(account)
    assert sent.sent_to == "+62812*****890"
    assert sent.expires_at == NOW + timedelta(minutes=5)
    [text] = texts_to(OLD_PHONE)[before:]
    assert re.fullmatch(r"PIN Saldo \d{6} untuk mengganti nomor ponsel tercatat ke \+62857\*\*\*\*\*222\. Berlaku 5 "
                        r"menit\. Bukan Anda\? JANGAN berikan PIN ini\.", text)
    assert texts_to(NEW_PHONE) == []  # nothing to the new number before the old one answered

    sent = contact_change_confirm_old(account=account, kind=PHONE, value="0857-1111-2222", pin=pin_sent_to(OLD_PHONE),
                                      now=NOW + timedelta(minutes=1))
    assert sent.sent_to == "+62857*****222"
    [text] = texts_to(NEW_PHONE)
    assert re.fullmatch(r"PIN Saldo untuk ganti kontak: \d{6}\. Berlaku 5 menit\. JANGAN berikan kepada siapa pun\.",
                        text)
    assert Person.objects.get(id=member.person_id).phone == OLD_PHONE  # not yet

    with delivered():
        contact_change_confirm_new(account=account, kind=PHONE, value=NEW_PHONE, pin=pin_sent_to(NEW_PHONE),
                                   channel="web", now=NOW + timedelta(minutes=2))

    assert Person.objects.get(id=member.person_id).phone == NEW_PHONE
    assert sorted(PhoneBindingEnded.objects.values_list("phone", "membership__kpj", "reason")) == [
        (OLD_PHONE, "34086313831", "contact_change"), (OLD_PHONE, "68516716147", "contact_change")]
    assert list(PhoneBinding.objects.values_list("phone", flat=True)) == ["+6289900001111"]
    # One notice, to the old phone and the new one (same report code), and to the email on record.
    assert notices(member.person)[-1] == Kind.PHONE_CHANGED
    old_notice, new_notice = texts_to(OLD_PHONE)[-1], texts_to(NEW_PHONE)[-1]
    assert old_notice == new_notice
    assert old_notice.startswith("Saldo: nomor ponsel tercatat diganti ke +62857*****222, 26-11-2026 10:02 WIB")
    assert [m.to for m in mail.outbox] == [[OLD_EMAIL]]


def test_the_sms_to_the_phone_on_record_fits_one_sms_for_any_email(account):
    start(account, kind=EMAIL, value="n" * 30 + "@" + "sangat-panjang-sekali." * 6 + "example.co.id")
    text = texts_to(OLD_PHONE)[-1]
    assert "ke n***@sangat-panjang-sekali.sangat-panj... Berlaku" in text
    assert gsm7.is_gsm7(text) and gsm7.septets(text) <= 160, text


def test_a_wrong_password_sends_no_pin(account):
    with pytest.raises(PasswordWrong) as refused:
        start(account, password="salah-sekali-123")
    assert [e.field for e in refused.value.errors] == ["password"]
    assert texts_to(OLD_PHONE) == [] or "mengganti" not in texts_to(OLD_PHONE)[-1]
    assert not OneTimePin.objects.filter(purpose=OneTimePin.Purpose.CONTACT).exists()


def test_wrong_and_expired_pins_change_nothing(account, member):
    start(account)
    old_pin = pin_sent_to(OLD_PHONE)
    with pytest.raises(PinWrong):
        contact_change_confirm_old(account=account, kind=PHONE, value=NEW_PHONE, pin=wrong(old_pin), now=NOW)
    with pytest.raises(PinExpired):  # five minutes on
        contact_change_confirm_old(account=account, kind=PHONE, value=NEW_PHONE, pin=old_pin,
                                   now=NOW + timedelta(minutes=5))

    start(account, now=NOW + timedelta(minutes=6))
    contact_change_confirm_old(account=account, kind=PHONE, value=NEW_PHONE, pin=pin_sent_to(OLD_PHONE),
                               now=NOW + timedelta(minutes=6))
    new_pin = pin_sent_to(NEW_PHONE)
    with pytest.raises(PinWrong):
        contact_change_confirm_new(account=account, kind=PHONE, value=NEW_PHONE, pin=wrong(new_pin), channel="web",
                                   now=NOW + timedelta(minutes=7))
    with pytest.raises(PinExpired):
        contact_change_confirm_new(account=account, kind=PHONE, value=NEW_PHONE, pin=new_pin, channel="web",
                                   now=NOW + timedelta(minutes=12))
    assert Person.objects.get(id=member.person_id).phone == OLD_PHONE
    assert Kind.PHONE_CHANGED not in notices(member.person)


def test_a_pin_works_only_for_the_contact_it_was_sent_for(account):
    start(account)
    with pytest.raises(PinExpired):
        contact_change_confirm_old(account=account, kind=PHONE, value="+6285799998888", pin=pin_sent_to(OLD_PHONE),
                                   now=NOW)
    with pytest.raises(PinExpired):  # the new contact's PIN is not sent before the old phone answered
        contact_change_confirm_new(account=account, kind=PHONE, value=NEW_PHONE, pin=pin_sent_to(OLD_PHONE),
                                   channel="web", now=NOW)


def test_starting_again_spends_the_pins_of_the_change_started_before(account):
    start(account)
    first = pin_sent_to(OLD_PHONE)
    start(account, value="+6285799998888", now=NOW + timedelta(seconds=30))
    with pytest.raises(PinExpired):
        contact_change_confirm_old(account=account, kind=PHONE, value=NEW_PHONE, pin=first, now=NOW)


def test_a_phone_on_record_for_another_member_is_refused(account):
    make_member(kpj="55465628384", name="BAGUS HARTONO", phone=NEW_PHONE)
    with pytest.raises(ValidationError) as taken:
        start(account)
    assert [(e.field, e.message) for e in taken.value.errors] == [
        ("phone", "nomor ini tercatat untuk peserta lain dan tidak dapat dipakai")]
    assert texts_to(OLD_PHONE) == [] or "mengganti" not in texts_to(OLD_PHONE)[-1]


def test_a_phone_given_to_another_member_meanwhile_is_refused_at_the_end(account, member):
    start(account)
    contact_change_confirm_old(account=account, kind=PHONE, value=NEW_PHONE, pin=pin_sent_to(OLD_PHONE), now=NOW)
    make_member(kpj="55465628384", name="BAGUS HARTONO", phone=NEW_PHONE)
    with pytest.raises(ValidationError):
        contact_change_confirm_new(account=account, kind=PHONE, value=NEW_PHONE, pin=pin_sent_to(NEW_PHONE),
                                   channel="web", now=NOW)
    assert Person.objects.get(id=member.person_id).phone == OLD_PHONE


@pytest.mark.parametrize(("value", "message"), [
    ("0812-3456-7890", "nomor ini sudah tercatat untuk Anda"),
    ("12345", None),
])
def test_the_same_phone_or_no_mobile_number_is_refused(account, value, message):
    with pytest.raises(ValidationError) as refused:
        start(account, value=value)
    assert [e.field for e in refused.value.errors] == ["phone"]
    if message:
        assert refused.value.errors[0].message == message


def test_at_most_five_changes_are_started_an_hour(account):
    for n in range(5):
        start(account, now=NOW + timedelta(minutes=n))
    with pytest.raises(PinRateLimited) as limited:
        start(account, value="+6285799998888", now=NOW + timedelta(minutes=10))
    assert limited.value.retry_at == NOW + timedelta(hours=1)


def test_without_a_phone_on_record_the_member_is_sent_to_the_contact_change(account, member):
    Person.objects.filter(id=member.person_id).update(phone="")
    account.person.refresh_from_db()
    with pytest.raises(NoPhoneOnRecord):
        start(account)


# --- a new email ---------------------------------------------------------------------------------------


def test_a_new_email_takes_a_pin_to_the_phone_on_record_then_one_mailed_to_it(account, member, delivered):
    start(account, kind=EMAIL, value=" Neng.Baru@Example.com ")
    assert "mengganti email tercatat ke n***@example.com." in texts_to(OLD_PHONE)[-1]
    with delivered():
        sent = contact_change_confirm_old(account=account, kind=EMAIL, value=NEW_EMAIL, pin=pin_sent_to(OLD_PHONE),
                                          now=NOW)
    assert sent.sent_to == "n***@example.com"
    [message] = mail.outbox
    assert (message.to, message.subject) == ([NEW_EMAIL], "PIN Saldo untuk email baru")
    pin = mailed_pin(NEW_EMAIL)
    mail.outbox.clear()

    with delivered():
        contact_change_confirm_new(account=account, kind=EMAIL, value=NEW_EMAIL, pin=pin,
                                   channel="api", now=NOW)

    person = Person.objects.get(id=member.person_id)
    account.user.refresh_from_db()
    assert (person.email, account.user.username, account.user.email) == (NEW_EMAIL, NEW_EMAIL, NEW_EMAIL)
    assert account_login(email=NEW_EMAIL, password=PASSWORD, now=NOW) == account
    assert notices(member.person)[-1] == Kind.EMAIL_CHANGED
    assert sorted(m.to[0] for m in mail.outbox) == [NEW_EMAIL, OLD_EMAIL]
    assert all("Email tercatat diganti ke n***@example.com" in m.body for m in mail.outbox)
    assert texts_to(OLD_PHONE)[-1].startswith("Saldo: email tercatat diganti ke n***@example.com")


def test_an_email_that_is_another_accounts_login_is_refused_on_its_field(account):
    other = make_member(kpj="55465628384", name="BAGUS HARTONO", phone="+6283870452790")
    make_account(other, email=NEW_EMAIL, phone="+6283870452790", now=NOW)
    with pytest.raises(ValidationError) as taken:
        start(account, kind=EMAIL, value=NEW_EMAIL)
    assert [(e.field, e.message) for e in taken.value.errors] == [
        ("email", "email ini sudah dipakai akun lain untuk masuk")]


# --- bound numbers -------------------------------------------------------------------------------------


def test_bound_numbers_show_the_own_phone_whole_and_others_masked_and_are_audited(account, member):
    bind_phone(member, OLD_PHONE, bound_at=NOW - timedelta(days=2))
    bind_phone(member, "+6289900001111", bound_at=NOW - timedelta(days=1), channel="whatsapp")

    found = account_bindings(account=account, channel="web", recipient=str(account.user_id), now=NOW)

    assert [(n.phone, n.own, n.kpj, n.channel) for n in found] == [
        ("+62899*****111", False, "68516716147", "whatsapp"), (OLD_PHONE, True, "68516716147", "sms")]
    assert list(Disclosure.objects.values_list("channel", "recipient", "kpj", "what")) == [
        ("web", str(account.user_id), "68516716147", "bindings")]


def test_the_member_ends_a_bound_number_and_is_told(account, member):
    binding = bind_phone(member, "+6289900001111")
    account_binding_end(account=account, binding_id=binding.id, channel="web", now=NOW)

    assert not PhoneBinding.objects.exists()
    assert list(PhoneBindingEnded.objects.values_list("phone", "reason")) == [("+6289900001111", "member")]
    assert texts_to(OLD_PHONE)[-1].startswith("Saldo: nomor SMS/WhatsApp terdaftar diakhiri: +62899*****111, ")


def test_another_members_bound_number_is_not_found(account):
    other = make_member(kpj="55465628384", name="BAGUS HARTONO", phone="+6283870452790")
    binding = bind_phone(other, "+6283870452790")
    with pytest.raises(NotFound):
        account_binding_end(account=account, binding_id=binding.id, channel="web", now=NOW)
    assert PhoneBinding.objects.filter(id=binding.id).exists()
