"""Layanan → Pengaturan akun: a new password (twice), a new phone or email (password, PIN to the
phone on record, PIN to the new contact), the app's devices and the bound numbers."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from saldo.api.models import ApiSession
from saldo.audit.models import Disclosure
from saldo.channels.models import OutboundMessage
from saldo.identity.models import LoginFailure, PhoneBinding, PhoneBindingEnded, SecurityEvent
from saldo.registry.models import Person
from tests.api.conftest import sign_in
from tests.factories import bind_phone, make_account, make_member, pin_sent_to
from tests.portal.conftest import EMAIL, PASSWORD, PHONE

SETTINGS = reverse("portal:account")
PASSWORD_PAGE = reverse("portal:account-password")
PHONE_PAGE = reverse("portal:account-phone")
PHONE_PIN = reverse("portal:account-phone-pin")
EMAIL_PAGE = reverse("portal:account-email")
EMAIL_PIN = reverse("portal:account-email-pin")
NEW_PHONE = "+6285711112222"
NEW_EMAIL = "neng.baru@example.com"
NEW_PASSWORD = "Saldo-baru-2027!"
Kind = SecurityEvent.Kind


@pytest.fixture
def delivered(settings, django_capture_on_commit_callbacks):
    """Run what waits for the commit (mail, sends), SMS going nowhere: `with delivered(): ...`."""
    settings.SALDO_TRANSPORTS = {"sms": "tests.factories.transport_dropped",
                                 "whatsapp": "tests.factories.transport_dropped"}
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _language_restored():
    """A page in English leaves English active in this thread: the next test's SMS must be Indonesian."""
    yield
    translation.activate("id")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def errors_of(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def texts_to(phone: str) -> list[str]:
    return list(OutboundMessage.objects.filter(to=phone).order_by("id").values_list("text", flat=True))


def wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def kinds(person) -> list[str]:
    return list(SecurityEvent.objects.filter(person=person).order_by("id").values_list("kind", flat=True))


def test_the_services_page_leads_to_the_account_settings(logged_in):
    page = logged_in.get(reverse("portal:services")).content.decode()
    assert f'href="{SETTINGS}"' in page and "Pengaturan akun" in page
    assert "****7745" in page  # the phone on record, masked


def test_the_settings_pages_need_a_logged_in_member(client, account):
    for url in (SETTINGS, PASSWORD_PAGE, PHONE_PAGE, PHONE_PIN, EMAIL_PAGE, EMAIL_PIN):
        assert client.get(url)["Location"].startswith(reverse("portal:login")), url


def test_the_settings_page_in_english(logged_in):
    logged_in.post(reverse("portal:language"), {"language": "en", "next": SETTINGS})
    page = logged_in.get(SETTINGS).content.decode()
    assert "Account settings" in page and "Pengaturan akun" not in page


# --- password ------------------------------------------------------------------------------------------


def test_a_new_password_twice_keeps_this_browser_and_logs_the_app_out(logged_in, account, member):
    app = sign_in(member, email=EMAIL, phone=PHONE)
    other_browser = Client()
    other_browser.force_login(account.user)

    response = logged_in.post(PASSWORD_PAGE, {"current_password": PASSWORD, "password": NEW_PASSWORD,
                                              "password_again": NEW_PASSWORD}, follow=True)

    assert messages_of(response) == ["Kata sandi Anda sudah diganti. Perangkat lain sudah dikeluarkan."]
    assert logged_in.get(SETTINGS).status_code == 200  # still logged in here
    assert other_browser.get(SETTINGS)["Location"].startswith(reverse("portal:login"))
    assert app.api.get("/me").status_code == 401
    assert not ApiSession.objects.filter(revoked_at__isnull=True).exists()
    assert kinds(member.person)[-1] == Kind.PASSWORD_CHANGED
    account.user.refresh_from_db()
    assert account.user.check_password(NEW_PASSWORD)


def test_a_wrong_current_password_is_shown_on_its_field_and_counted(logged_in, account):
    response = logged_in.post(PASSWORD_PAGE, {"current_password": "salah-sekali-123", "password": NEW_PASSWORD,
                                              "password_again": NEW_PASSWORD})
    assert errors_of(response) == {"current_password": ["kata sandi salah"]}
    assert LoginFailure.objects.count() == 1
    account.user.refresh_from_db()
    assert account.user.check_password(PASSWORD)


def test_the_two_new_passwords_must_match_and_be_strong(logged_in):
    response = logged_in.post(PASSWORD_PAGE, {"current_password": PASSWORD, "password": NEW_PASSWORD,
                                              "password_again": NEW_PASSWORD + "x"})
    assert errors_of(response) == {"password_again": ["Kedua kata sandi tidak sama."]}
    response = logged_in.post(PASSWORD_PAGE, {"current_password": PASSWORD, "password": "12345678",
                                              "password_again": "12345678"})
    assert "Kata sandi ini terlalu umum." in errors_of(response)["password"]


def test_after_five_wrong_passwords_the_page_says_until_when(logged_in):
    for _ in range(5):
        logged_in.post(PASSWORD_PAGE, {"current_password": "salah-sekali-123", "password": NEW_PASSWORD,
                                       "password_again": NEW_PASSWORD})
    response = logged_in.post(PASSWORD_PAGE, {"current_password": PASSWORD, "password": NEW_PASSWORD,
                                              "password_again": NEW_PASSWORD})
    [error] = errors_of(response)["__all__"]
    assert error.startswith("Terlalu banyak kata sandi salah. Silakan coba lagi setelah ")


# --- a new phone -----------------------------------------------------------------------------------------


def test_a_new_phone_needs_the_password_the_old_phones_pin_and_the_new_ones(logged_in, member, delivered):
    bind_phone(member, PHONE)

    response = logged_in.post(PHONE_PAGE, {"phone": "0857-1111-2222", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == PHONE_PIN
    assert messages_of(response) == ["PIN dikirim lewat SMS ke nomor tercatat +62815****745."]
    assert "mengganti nomor ponsel tercatat ke +62857*****222" in texts_to(PHONE)[-1]

    response = logged_in.post(PHONE_PIN, {"pin": pin_sent_to(PHONE)}, follow=True)
    assert messages_of(response) == ["PIN dikirim ke +62857*****222."]
    assert response.context["step"] == "new"

    with delivered():
        response = logged_in.post(PHONE_PIN, {"pin": pin_sent_to(NEW_PHONE)}, follow=True)

    assert response.redirect_chain[-1][0] == SETTINGS
    assert messages_of(response) == ["Nomor ponsel tercatat sudah diganti."]
    assert Person.objects.get(id=member.person_id).phone == NEW_PHONE
    assert list(PhoneBindingEnded.objects.values_list("phone", "reason")) == [(PHONE, "contact_change")]
    assert texts_to(PHONE)[-1] == texts_to(NEW_PHONE)[-1]
    assert texts_to(PHONE)[-1].startswith("Saldo: nomor ponsel tercatat diganti ke +62857*****222, ")
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_a_wrong_pin_is_shown_and_a_dead_one_starts_the_change_again(logged_in, member):
    logged_in.post(PHONE_PAGE, {"phone": NEW_PHONE, "password": PASSWORD})
    right = pin_sent_to(PHONE)
    response = logged_in.post(PHONE_PIN, {"pin": wrong(right)})
    assert errors_of(response) == {"pin": ["PIN salah. Sisa percobaan: 2."]}
    logged_in.post(PHONE_PIN, {"pin": wrong(right)})
    response = logged_in.post(PHONE_PIN, {"pin": wrong(right)}, follow=True)
    assert response.redirect_chain[-1][0] == PHONE_PAGE
    assert messages_of(response) == ["PIN salah terlalu banyak. Silakan minta PIN baru."]
    assert logged_in.get(PHONE_PIN)["Location"] == PHONE_PAGE  # nothing under way any more
    assert Person.objects.get(id=member.person_id).phone == PHONE


def test_a_wrong_password_or_another_members_phone_sends_no_pin(logged_in):
    other = make_member(kpj="55465628384", name="BAGUS HARTONO", phone=NEW_PHONE)
    assert other.person.phone == NEW_PHONE
    before = len(texts_to(PHONE))
    response = logged_in.post(PHONE_PAGE, {"phone": "+628999000111", "password": "salah-sekali-123"})
    assert errors_of(response) == {"password": ["kata sandi salah"]}
    response = logged_in.post(PHONE_PAGE, {"phone": "0857-1111-2222", "password": PASSWORD})
    assert errors_of(response) == {"phone": ["nomor ini tercatat untuk peserta lain dan tidak dapat dipakai"]}
    assert len(texts_to(PHONE)) == before


# --- a new email -----------------------------------------------------------------------------------------


def test_a_new_email_needs_a_pin_by_sms_then_one_by_mail_and_becomes_the_login(logged_in, account, member,
                                                                               delivered):
    logged_in.post(EMAIL_PAGE, {"email": NEW_EMAIL, "password": PASSWORD})
    with delivered():
        logged_in.post(EMAIL_PIN, {"pin": pin_sent_to(PHONE)})
    [message] = mail.outbox
    assert message.to == [NEW_EMAIL]
    assert "PIN dari email" in logged_in.get(EMAIL_PIN).content.decode()
    pin = re.search(r"\b(\d{6})\b", message.body).group(1)
    mail.outbox.clear()

    with delivered():
        response = logged_in.post(EMAIL_PIN, {"pin": pin}, follow=True)

    assert messages_of(response) == ["Email tercatat sudah diganti. Mulai sekarang, masuk dengan email baru."]
    account.user.refresh_from_db()
    assert (account.user.username, Person.objects.get(id=member.person_id).email) == (NEW_EMAIL, NEW_EMAIL)
    assert sorted(m.to[0] for m in mail.outbox) == [NEW_EMAIL, EMAIL]
    assert logged_in.get(SETTINGS).status_code == 200  # still logged in
    assert "n***@example.com" in logged_in.get(SETTINGS).content.decode()


def test_an_email_that_is_another_accounts_login_is_refused_on_its_field(logged_in):
    other = make_member(kpj="55465628384", name="BAGUS HARTONO", phone="+6283870452790")
    make_account(other, email=NEW_EMAIL, phone="+6283870452790")
    response = logged_in.post(EMAIL_PAGE, {"email": NEW_EMAIL, "password": PASSWORD})
    assert errors_of(response) == {"email": ["email ini sudah dipakai akun lain untuk masuk"]}


# --- devices and bound numbers -------------------------------------------------------------------------


def test_the_apps_devices_are_listed_and_logged_out_one_or_all(logged_in, member):
    phone = sign_in(member, email=EMAIL, phone=PHONE, device_id="phone-1", device_name="HP NENG")
    tablet = sign_in(member, email=EMAIL, phone=PHONE, device_id="tablet", device_name="TABLET NENG")
    page = logged_in.get(SETTINGS).content.decode()
    assert "HP NENG" in page and "TABLET NENG" in page

    response = logged_in.post(reverse("portal:account-device-logout"), {"device_id": "tablet"}, follow=True)
    assert messages_of(response) == ["Perangkat itu sudah dikeluarkan dari akun Anda."]
    assert tablet.api.get("/me").status_code == 401 and phone.api.get("/me").status_code == 200
    response = logged_in.post(reverse("portal:account-device-logout"), {"device_id": "tablet"}, follow=True)
    assert messages_of(response) == ["Perangkat tidak ditemukan."]

    logged_in.post(reverse("portal:account-devices-logout-all"))
    assert phone.api.get("/me").status_code == 401
    assert "Tidak ada perangkat aplikasi yang masuk ke akun Anda." in logged_in.get(SETTINGS).content.decode()


def test_bound_numbers_are_shown_audited_and_one_is_ended(logged_in, account, member):
    own = bind_phone(member, PHONE)
    other = bind_phone(member, "+6289900001111", channel="whatsapp")
    page = logged_in.get(SETTINGS).content.decode()
    assert PHONE in page and "+62899*****111" in page and "+6289900001111" not in page
    assert list(Disclosure.objects.values_list("channel", "recipient", "kpj", "what")) == [
        ("web", str(account.user_id), member.kpj, "bindings")]

    response = logged_in.post(reverse("portal:account-binding-end"), {"binding_id": other.id}, follow=True)

    assert messages_of(response) == ["Nomor itu tidak terdaftar lagi untuk SMS dan WhatsApp."]
    assert list(PhoneBinding.objects.values_list("id", flat=True)) == [own.id]
    assert kinds(member.person)[-1] == Kind.BINDINGS_ENDED


@pytest.mark.parametrize("binding_id", ["", "abc", "²", "9" * 30])
def test_an_unknown_or_malformed_binding_is_not_found(logged_in, member, binding_id):
    bind_phone(member, PHONE)
    response = logged_in.post(reverse("portal:account-binding-end"), {"binding_id": binding_id}, follow=True)
    assert messages_of(response) == ["Nomor terdaftar tidak ditemukan."]
    assert PhoneBinding.objects.count() == 1


def test_another_members_bound_number_is_not_found(logged_in):
    other = make_member(kpj="55465628384", name="BAGUS HARTONO", phone="+6283870452790")
    theirs = bind_phone(other, "+6283870452790")
    response = logged_in.post(reverse("portal:account-binding-end"), {"binding_id": theirs.id}, follow=True)
    assert messages_of(response) == ["Nomor terdaftar tidak ditemukan."]
    assert PhoneBinding.objects.filter(id=theirs.id).exists()


@pytest.mark.parametrize("name", ["portal:account-password", "portal:account-phone", "portal:account-email",
                                  "portal:account-device-logout", "portal:account-devices-logout-all",
                                  "portal:account-binding-end"])
def test_every_change_needs_the_csrf_token(account, name):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(account.user)
    assert browser.post(reverse(name), {}).status_code == 403
