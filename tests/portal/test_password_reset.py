"""Forgotten password: a code by e-mail, typed into the reset page with the email and a new
password. The same answer for any email; the code works once, for RESET_CODE_MINUTES, with
MAX_TRIES wrong entries; no page address carries it."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from saldo.core.errors import ValidationError
from saldo.identity.models import OneTimePin
from saldo.portal.services import ResetCodeInvalid, password_reset_complete, password_reset_request
from tests.portal.conftest import EMAIL, PASSWORD

REQUEST = reverse("portal:reset-request")
CONFIRM = reverse("portal:reset-confirm")
NEW_PASSWORD = "baru-Saldo-2027"
REFUSED = "Email atau kode salah, atau kode sudah tidak berlaku. Periksa kembali, atau minta kode baru."


def mailed_code() -> str:
    """The code in the latest mail, as the member reads it there ("1234 5678")."""
    return re.search(r"^\s+(\d{4} \d{4})\s*$", mail.outbox[-1].body, flags=re.M).group(1)


def reset(client, code: str, *, email: str = EMAIL, password: str = NEW_PASSWORD, again: str | None = None):
    data = {"email": email, "code": code, "password": password, "password_again": again or password}
    return client.post(CONFIRM, data)


def form_errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def password_is(account, password: str) -> bool:
    account.user.refresh_from_db()
    return account.user.check_password(password)


def test_a_known_email_gets_a_code_and_an_unknown_one_the_same_page(client, account):
    known = client.post(REQUEST, {"email": EMAIL})
    unknown = Client().post(REQUEST, {"email": "siapa@example.com"})
    assert known["Location"] == unknown["Location"] == CONFIRM
    assert [(m.to, m.subject) for m in mail.outbox] == [([EMAIL], "Kode atur ulang kata sandi Saldo")]
    page = client.get(CONFIRM)  # the email asked for is filled in
    assert page.context["form"]["email"].value() == EMAIL
    assert "kami sudah mengirim kode 8 angka" in page.content.decode()


def test_the_mail_holds_the_code_and_the_page_s_address_which_holds_no_secret(client, account):
    client.post(REQUEST, {"email": EMAIL})
    body = mail.outbox[-1].body
    code = mailed_code()
    assert re.findall(r"https?://\S+", body) == [f"http://testserver{CONFIRM}"]
    assert "Kode berlaku 30 menit dan hanya sekali pakai" in body
    assert code.replace(" ", "") not in f"http://testserver{CONFIRM}"


def test_the_code_sets_a_new_password_once(client, account):
    client.post(REQUEST, {"email": EMAIL})
    code = mailed_code()
    response = reset(client, code)
    assert response["Location"] == reverse("portal:login")
    assert password_is(account, NEW_PASSWORD)
    again = reset(Client(), code, password="lagi-Saldo-2028")
    assert form_errors(again) == {"code": [REFUSED]}
    assert password_is(account, NEW_PASSWORD)


def test_the_code_is_typed_with_or_without_its_space(client, account):
    client.post(REQUEST, {"email": EMAIL})
    assert reset(client, mailed_code().replace(" ", ""), email="  Neng@Example.com ")["Location"] == reverse(
        "portal:login")


def test_an_unknown_email_a_wrong_code_and_no_code_at_all_get_one_answer(client, account):
    client.post(REQUEST, {"email": EMAIL})
    code = mailed_code()
    wrong = reset(client, code[:-1] + str((int(code[-1]) + 1) % 10))
    unknown = reset(client, mailed_code(), email="siapa@example.com")
    OneTimePin.objects.all().delete()
    none_asked = reset(client, "1234 5678")
    assert form_errors(wrong) == form_errors(unknown) == form_errors(none_asked) == {"code": [REFUSED]}
    assert password_is(account, PASSWORD)


def test_three_wrong_codes_spend_it(client, account):
    client.post(REQUEST, {"email": EMAIL})
    code = mailed_code()
    for n in (1, 2, 3):  # three other codes: the last digit off by one, two, three
        wrong = code[:-1] + str((int(code[-1]) + n) % 10)
        assert form_errors(reset(client, wrong)) == {"code": [REFUSED]}
    assert form_errors(reset(client, code)) == {"code": [REFUSED]}
    assert password_is(account, PASSWORD)


def test_a_new_request_spends_the_code_mailed_before(client, account):
    client.post(REQUEST, {"email": EMAIL})
    first = mailed_code()
    client.post(REQUEST, {"email": EMAIL})
    second = mailed_code()
    assert len(mail.outbox) == 2
    if first != second:  # one chance in 10^8 that the new code is the same
        assert form_errors(reset(client, first)) == {"code": [REFUSED]}
    assert reset(client, second)["Location"] == reverse("portal:login")


@pytest.mark.parametrize("minutes_later, works", [(29, True), (31, False)])
def test_the_code_works_for_reset_code_minutes(account, minutes_later, works):
    asked = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    password_reset_request(email=EMAIL, client="10.9.9.9", url="http://testserver/atur-kata-sandi/", now=asked)
    later = asked + timedelta(minutes=minutes_later)
    if works:
        password_reset_complete(email=EMAIL, code=mailed_code().replace(" ", ""), password=NEW_PASSWORD, now=later)
    else:
        with pytest.raises(ResetCodeInvalid):
            password_reset_complete(email=EMAIL, code=mailed_code().replace(" ", ""), password=NEW_PASSWORD, now=later)
    assert password_is(account, NEW_PASSWORD) is works


def test_the_new_password_is_checked_before_the_code_and_spends_no_try(client, account):
    client.post(REQUEST, {"email": EMAIL})
    code = mailed_code()
    weak = {
        "password": [
            "Kata sandi terlalu mirip dengan nama pengguna.",
            "Kata sandi terlalu pendek. Harus mengandung setidaknya 8 karakter.",
        ]
    }
    for _n in range(4):  # more than the code's tries
        assert form_errors(reset(client, code, password="neng")) == weak
    assert form_errors(reset(client, code, again=PASSWORD)) == {"password_again": ["Kedua kata sandi tidak sama."]}
    assert reset(client, code)["Location"] == reverse("portal:login")


def test_a_weak_password_gets_the_same_messages_for_an_email_without_an_account(client, account):
    known = reset(client, "1234 5678", password="neng")
    unknown = reset(client, "1234 5678", email="neng@example.org", password="neng")
    assert form_errors(known) == form_errors(unknown)
    with pytest.raises(ValidationError):
        password_reset_complete(email="neng@example.org", code="12345678", password="12345678",
                                now=datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta")))


def test_an_empty_reset_names_every_field(client):
    assert form_errors(client.post(CONFIRM, {})) == {
        "email": ["Bidang ini tidak boleh kosong."],
        "code": ["Bidang ini tidak boleh kosong."],
        "password": ["Bidang ini tidak boleh kosong."],
        "password_again": ["Bidang ini tidak boleh kosong."],
    }
    assert form_errors(reset(client, "1234"))["code"] == ["Kode terdiri dari 8 angka."]


def test_requests_are_limited_per_email(client, account, settings):
    settings.SALDO_PORTAL = {**settings.SALDO_PORTAL, "RESET_REQUESTS": 2}
    for n in range(2):
        client.post(REQUEST, {"email": EMAIL}, REMOTE_ADDR=f"10.2.2.{n}")
    response = client.post(REQUEST, {"email": EMAIL}, REMOTE_ADDR="10.2.2.9")
    assert form_errors(response) == {"__all__": ["Terlalu banyak percobaan. Silakan coba lagi nanti."]}
    assert len(mail.outbox) == 2


def test_requests_are_limited_per_client_address(client, account, settings):
    settings.SALDO_PORTAL = {**settings.SALDO_PORTAL, "RESET_REQUESTS": 2}
    for n in range(2):
        client.post(REQUEST, {"email": f"tebak{n}@example.com"}, REMOTE_ADDR="10.2.3.1")
    response = client.post(REQUEST, {"email": EMAIL}, REMOTE_ADDR="10.2.3.1")
    assert form_errors(response) == {"__all__": ["Terlalu banyak percobaan. Silakan coba lagi nanti."]}
    assert mail.outbox == []


def test_an_empty_request_asks_for_the_email(client):
    assert form_errors(client.post(REQUEST, {})) == {"email": ["Bidang ini tidak boleh kosong."]}


@pytest.fixture
def in_english(client):
    client.post(reverse("portal:language"), {"language": "en"})
    yield
    # The portal activates the member's language in this thread; the next test starts in Indonesian.
    translation.activate(settings.LANGUAGE_CODE)


def test_the_page_is_english_when_the_member_chose_it(client, account, in_english):
    client.post(REQUEST, {"email": EMAIL})
    page = client.get(CONFIRM).content.decode()
    assert "we have sent an 8-digit code to it. The code works for 30 minutes, and only once." in page
    assert "Enter it, with your email and a new password, on this page." in mail.outbox[-1].body
    assert mail.outbox[-1].subject == "Your Saldo password reset code"


def test_an_old_session_ends_when_the_password_is_reset(logged_in, account):
    other = Client()
    other.post(REQUEST, {"email": EMAIL})
    reset(other, mailed_code())
    assert logged_in.get(reverse("portal:services"))["Location"].startswith(reverse("portal:login"))
