"""Forgotten password: a link by e-mail, the same answer for any email, one use, one hour."""

import re

from django.core import mail
from django.urls import reverse

from tests.portal.conftest import EMAIL, PASSWORD

REQUEST = reverse("portal:reset-request")
SENT = reverse("portal:reset-sent")
NEW_PASSWORD = "baru-Saldo-2027"


def reset_link() -> str:
    return re.search(r"http://testserver(/atur-kata-sandi/\S+/)", mail.outbox[-1].body).group(1)


def form_errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def test_a_known_email_gets_a_link_and_an_unknown_one_the_same_page(client, account):
    known = client.post(REQUEST, {"email": EMAIL})
    unknown = client.post(REQUEST, {"email": "siapa@example.com"})
    assert known["Location"] == unknown["Location"] == SENT
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_the_link_sets_a_new_password_once(client, account):
    client.post(REQUEST, {"email": EMAIL})
    link = reset_link()
    response = client.post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response["Location"] == reverse("portal:login")
    account.user.refresh_from_db()
    assert account.user.check_password(NEW_PASSWORD)
    again = client.get(link)
    assert again.status_code == 400
    assert "Tautan atur ulang kata sandi tidak berlaku lagi" in again.content.decode()


def test_a_made_up_link_is_refused(client, account):
    assert client.get(reverse("portal:reset-confirm", args=["MQ", "abc-123"])).status_code == 400
    assert client.get(reverse("portal:reset-confirm", args=["!!", "abc-123"])).status_code == 400


def test_the_new_password_is_checked(client, account):
    client.post(REQUEST, {"email": EMAIL})
    link = reset_link()
    assert form_errors(client.post(link, {"password": "neng", "password_again": "neng"})) == {
        "password": [
            "Kata sandi terlalu mirip dengan nama pengguna.",
            "Kata sandi terlalu pendek. Harus mengandung setidaknya 8 karakter.",
        ]
    }
    assert form_errors(client.post(link, {"password": NEW_PASSWORD, "password_again": PASSWORD})) == {
        "password_again": ["Kedua kata sandi tidak sama."]
    }
    assert form_errors(client.post(link, {})) == {
        "password": ["Bidang ini tidak boleh kosong."],
        "password_again": ["Bidang ini tidak boleh kosong."],
    }


def test_requests_are_limited_per_email(client, account, settings):
    settings.SALDO_PORTAL = {**settings.SALDO_PORTAL, "RESET_REQUESTS": 2}
    for n in range(2):
        client.post(REQUEST, {"email": EMAIL}, REMOTE_ADDR=f"10.2.2.{n}")
    response = client.post(REQUEST, {"email": EMAIL}, REMOTE_ADDR="10.2.2.9")
    assert form_errors(response) == {"__all__": ["Terlalu banyak percobaan. Silakan coba lagi nanti."]}
    assert len(mail.outbox) == 2


def test_an_empty_request_asks_for_the_email(client):
    assert form_errors(client.post(REQUEST, {})) == {"email": ["Bidang ini tidak boleh kosong."]}


def test_an_old_session_ends_when_the_password_is_reset(client, logged_in, account):
    from django.test import Client

    other = Client()
    other.post(REQUEST, {"email": EMAIL})
    other.post(reset_link(), {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert logged_in.get(reverse("portal:services"))["Location"].startswith(reverse("portal:login"))
