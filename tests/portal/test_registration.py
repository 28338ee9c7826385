"""Registration on the web: the form of the SSO article, checked against the registry, a PIN by
SMS and e-mail, a password; and every way it can go wrong."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from saldo.identity.models import MemberAccount, RegistrationAttempt, SecurityEvent
from tests.portal.conftest import EMAIL, PASSWORD, last_pin, registration_data

REGISTER = reverse("portal:register")
ACTIVATE = reverse("portal:activate")
REFUSED = "Data yang Anda isi tidak cocok dengan data kepesertaan. Periksa kembali semua isian."


def field_errors(response) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def page_text(response) -> str:
    """The page without the values typed back into the inputs (and the CSRF token)."""
    return re.sub(r' value="[^"]*"', "", response.content.decode())


def test_the_form_asks_what_the_sso_article_lists(client):
    form = client.get(REGISTER).context["form"]
    assert list(form.fields) == ["kpj", "name", "birth_date", "nik", "mother_maiden_name", "phone", "email"]


def test_matching_data_send_the_activation_pin_by_sms_and_email(client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, registration_data(member))
    assert response.status_code == 302 and response["Location"] == ACTIVATE
    pin = last_pin()
    assert [(m.to, pin in m.body) for m in mail.outbox] == [([EMAIL], True)]
    account = MemberAccount.objects.get()
    assert (account.person, account.activated_at) == (member.person, None)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "PIN aktivasi dikirim lewat SMS ke nomor tercatat +62815****745 dan ke email tercatat."
    ]


@pytest.mark.parametrize("changes", [{"phone": "0812-9999-0000"}, {"email": "penipu@example.com"}])
def test_a_phone_or_email_not_on_record_opens_nothing_and_leads_to_the_contact_change(client, member, changes):
    response = client.post(REGISTER, registration_data(member, **changes))
    [error] = field_errors(response)["__all__"]
    assert error.startswith("Nomor ponsel atau email yang Anda isi tidak sama dengan yang tercatat")
    assert reverse("portal:contact-change") in response.content.decode()
    assert MemberAccount.objects.count() == 0
    assert SecurityEvent.objects.get().kind == "registration_attempt"


def test_names_are_matched_without_case_spacing_or_punctuation(client, member):
    data = registration_data(member, name="  neng  kurniasih ", mother_maiden_name="ratna.")
    assert client.post(REGISTER, data).status_code == 302


@pytest.mark.parametrize(
    "field, value",
    [
        ("kpj", "68516716148"),
        ("name", "NENG KURNIA"),
        ("birth_date", "08-10-1987"),
        ("nik", "3273014710870099"),
        ("mother_maiden_name", "SRI"),
    ],
)
def test_a_mismatch_in_any_field_gets_the_same_page(client, member, field, value):
    """Nothing in the answer tells which field did not match: the whole page is the same."""
    reference = page_text(client.post(REGISTER, registration_data(member, kpj="99999999999")))
    response = client.post(REGISTER, registration_data(member, **{field: value}))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [REFUSED]
    assert field_errors(response) == {"__all__": [REFUSED]}
    assert page_text(response) == reference
    assert MemberAccount.objects.count() == 0


def test_an_empty_form_names_every_missing_field(client):
    response = client.post(REGISTER, {})
    required = ["Bidang ini tidak boleh kosong."]
    assert field_errors(response) == {
        name: required for name in ["kpj", "name", "birth_date", "nik", "mother_maiden_name", "phone", "email"]
    }


def test_badly_written_values_are_field_errors(client, member):
    data = registration_data(member, kpj="6851671614", nik="32780647108700", birth_date="31-02-1987",
                             phone="0215551234", email="neng@")
    assert field_errors(client.post(REGISTER, data)) == {
        "kpj": ["nomor KPJ harus 11 angka"],
        "nik": ["NIK harus 16 angka"],
        "birth_date": ["tanggal tidak ada di kalender"],
    }
    # Phone and email are checked once the form's own checks pass.
    data = registration_data(member, phone="0215551234", email="neng@")
    assert field_errors(client.post(REGISTER, data)) == {
        "phone": ["nomor ponsel harus 10-13 angka diawali 08, 628 atau +628"],
        "email": ["alamat email tidak valid"],
    }


def test_registering_a_person_with_an_account_looks_like_a_new_registration(client, account, member):
    """Identity data are no secret: the page must not tell whether the KPJ has an account."""
    response = client.post(REGISTER, registration_data(member))
    assert response.status_code == 302 and response["Location"] == ACTIVATE
    assert SecurityEvent.objects.filter(kind="registration_again").count() == 1
    # No PIN exists for it: whatever is typed, nothing opens.
    assert field_errors(client.post(ACTIVATE, activation("123456")))["pin"] == [
        "PIN tidak berlaku lagi. Silakan minta PIN baru."
    ]


LOCKED = "Pendaftaran dikunci sementara karena data salah terlalu sering. Silakan coba lagi setelah "


def test_failed_registrations_are_limited_per_kpj(client, member, settings):
    settings.SALDO_CHANNELS = {**settings.SALDO_CHANNELS, "REGISTRATION_MAX_FAILURES": 3}
    for n, guess in enumerate(["SRI", "SITI", "AMINAH"]):
        client.post(REGISTER, registration_data(member, mother_maiden_name=guess, phone=f"08120000000{n}"),
                    REMOTE_ADDR=f"10.0.0.{n}")
    # The right answer, from yet another address and number, is now refused too: the card is locked a while.
    response = client.post(REGISTER, registration_data(member), REMOTE_ADDR="10.0.0.99")
    [error] = field_errors(response)["__all__"]
    assert error.startswith(LOCKED) and error.endswith(" WIB atau datang ke kantor cabang.")
    assert MemberAccount.objects.count() == 0


def test_a_phone_locked_by_failed_registrations_is_refused_on_the_web_too(client, member, settings):
    settings.SALDO_CHANNELS = {**settings.SALDO_CHANNELS, "REGISTRATION_MAX_FAILURES": 2}
    for name in ["SITI", "AMINAH"]:  # from different addresses, so only the phone's limit is reached
        client.post(REGISTER, registration_data(member, name=name), REMOTE_ADDR=f"10.0.1.{len(name)}")
    response = client.post(REGISTER, registration_data(member), REMOTE_ADDR="10.0.1.99")
    assert field_errors(response)["__all__"][0].startswith(LOCKED)
    assert MemberAccount.objects.count() == 0


def test_failed_registrations_are_limited_per_client_address(client, member, settings):
    settings.SALDO_CHANNELS = {**settings.SALDO_CHANNELS, "REGISTRATION_MAX_FAILURES": 10,
                               "REGISTRATION_CLIENT_MAX_FAILURES": 2}
    for n, kpj in enumerate(["11111111111", "22222222222"]):
        client.post(REGISTER, registration_data(member, kpj=kpj, phone=f"08120000000{n}"))
    response = client.post(REGISTER, registration_data(member))
    assert field_errors(response)["__all__"][0].startswith(LOCKED)
    # The counts keep keyed hashes only: no address, KPJ or NIK in clear.
    assert not RegistrationAttempt.objects.filter(client__contains="127.0.0.1").exists()
    assert not RegistrationAttempt.objects.filter(kpj="11111111111").exists()


# --- Activation ---------------------------------------------------------------------------------


@pytest.fixture
def registered(client, member):
    client.post(REGISTER, registration_data(member))
    return client


def activation(pin: str, password: str = PASSWORD, again: str | None = None) -> dict:
    return {"pin": pin, "password": password, "password_again": password if again is None else again}


def test_the_right_pin_and_a_good_password_open_the_account(registered):
    response = registered.post(ACTIVATE, activation(last_pin()))
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")
    account = MemberAccount.objects.select_related("user").get()
    assert account.activated_at is not None and account.user.check_password(PASSWORD)
    assert account.user.password.startswith("argon2")


def test_the_activation_page_needs_a_registration_first(client):
    assert client.get(ACTIVATE)["Location"] == REGISTER


def test_a_wrong_pin_says_how_many_tries_are_left(registered):
    response = registered.post(ACTIVATE, activation("000000" if last_pin() != "000000" else "111111"))
    assert field_errors(response) == {"pin": ["PIN salah. Sisa percobaan: 2."]}


def test_a_pin_is_six_digits(registered):
    assert field_errors(registered.post(ACTIVATE, activation("12345"))) == {
        "pin": ["Pastikan nilai ini mengandung paling sedikit 6 karakter (sekarang 5 karakter)."]
    }
    assert field_errors(registered.post(ACTIVATE, activation("12345a"))) == {"pin": ["PIN terdiri dari 6 angka."]}


def test_a_weak_password_is_refused_without_spending_a_pin_try(registered):
    response = registered.post(ACTIVATE, activation(last_pin(), password="12345678"))
    assert sorted(field_errors(response)["password"]) == [
        "Kata sandi ini seluruhnya terdiri dari angka.",
        "Kata sandi ini terlalu umum.",
    ]
    assert registered.post(ACTIVATE, activation(last_pin())).status_code == 302


def test_the_two_passwords_must_be_the_same(registered):
    response = registered.post(ACTIVATE, activation(last_pin(), again="rahasia-Saldo-2027"))
    assert field_errors(response) == {"password_again": ["Kedua kata sandi tidak sama."]}


def test_a_new_activation_pin_can_be_asked_for_and_only_it_works(registered):
    first = last_pin()
    response = registered.post(reverse("portal:activation-resend"))
    assert response["Location"] == ACTIVATE
    second = last_pin()
    if first != second:
        assert field_errors(registered.post(ACTIVATE, activation(first)))["pin"][0].startswith("PIN")
    assert registered.post(ACTIVATE, activation(second)).status_code == 302


def test_resending_is_limited_per_hour(registered, settings):
    settings.SALDO_PINS = {**settings.SALDO_PINS, "MAX_PER_HOUR": 2}
    registered.post(reverse("portal:activation-resend"))
    response = registered.post(reverse("portal:activation-resend"), follow=True)
    last = [str(m) for m in response.context["messages"]][-1]
    assert last == "Terlalu banyak permintaan PIN. Silakan coba lagi nanti."
