"""Logging in and out: email and password, one refusal for every wrong pair, lockouts, sessions
that end after a while without use."""

import re
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saldo.identity.models import SecurityEvent
from tests.portal.conftest import EMAIL, PASSWORD, last_pin

LOGIN = reverse("portal:login")
SERVICES = reverse("portal:services")
REFUSED = "Email atau kata sandi salah."


def form_errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def test_email_and_password_open_the_services(client, account):
    response = client.post(LOGIN, {"email": "  Neng@Example.com ", "password": PASSWORD})
    assert response["Location"] == SERVICES
    assert client.get(SERVICES).context["account"] == account


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, account):
    wrong = client.post(LOGIN, {"email": EMAIL, "password": "salah-Saldo-2026"})
    unknown = client.post(LOGIN, {"email": "siapa@example.com", "password": PASSWORD})
    assert form_errors(wrong) == form_errors(unknown) == {"__all__": [REFUSED]}


def test_an_empty_login_names_both_fields(client):
    assert form_errors(client.post(LOGIN, {})) == {
        "email": ["Bidang ini tidak boleh kosong."],
        "password": ["Bidang ini tidak boleh kosong."],
    }


def test_an_account_not_yet_activated_cannot_log_in(client, member):
    from saldo.identity.accounts import Registration, account_register

    person = member.person
    account_register(
        registration=Registration(member.kpj, person.nik, person.birth_date, person.name, "08154817745", EMAIL,
                                  person.mother_maiden_name),
        channel="web",
        now=timezone.now(),
    )
    assert form_errors(client.post(LOGIN, {"email": EMAIL, "password": PASSWORD})) == {"__all__": [REFUSED]}


def test_five_failures_lock_this_device_even_for_the_right_password_and_say_until_when(client, account):
    for _ in range(5):
        client.post(LOGIN, {"email": EMAIL, "password": "salah-Saldo-2026"})
    [error] = form_errors(client.post(LOGIN, {"email": EMAIL, "password": PASSWORD}))["__all__"]
    assert re.fullmatch(r"Terlalu banyak percobaan masuk yang gagal dari perangkat ini\. Silakan coba lagi setelah "
                        r"\d\d-\d\d-\d{4} \d\d:\d\d WIB\.", error)


def test_failures_elsewhere_only_slow_the_owner_who_gets_in_with_a_pin_to_the_phone_on_record(client, account):
    for n in range(5):
        client.post(LOGIN, {"email": EMAIL, "password": "salah-Saldo-2026"}, REMOTE_ADDR=f"10.9.9.{n}")
    response = client.post(LOGIN, {"email": EMAIL, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert "masuk sekarang dengan PIN yang dikirim ke ponsel tercatat" in form_errors(response)["__all__"][0]
    assert reverse("portal:login-pin") in response.content.decode()
    sent = client.post(reverse("portal:login-pin"), {"email": EMAIL}, REMOTE_ADDR="10.0.0.1")
    assert sent["Location"] == reverse("portal:login-pin-enter")
    done = client.post(reverse("portal:login-pin-enter"), {"pin": last_pin(), "password": PASSWORD},
                       REMOTE_ADDR="10.0.0.1")
    assert done["Location"] == reverse("portal:services")


def test_failures_from_one_address_are_limited_across_emails(client, account, settings):
    settings.SALDO_PORTAL = {**settings.SALDO_PORTAL, "LOGIN_FAILURES_PER_CLIENT": 3}
    for n in range(3):
        client.post(LOGIN, {"email": f"tebak{n}@example.com", "password": "x"}, REMOTE_ADDR="10.1.1.1")
    blocked = client.post(LOGIN, {"email": EMAIL, "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert form_errors(blocked) == {"__all__": ["Terlalu banyak percobaan. Silakan coba lagi nanti."]}
    assert client.post(LOGIN, {"email": EMAIL, "password": PASSWORD}, REMOTE_ADDR="10.1.1.2").status_code == 302


def test_login_returns_to_the_page_asked_for_but_never_to_another_site(client, account):
    asked = reverse("portal:cards")
    response = client.post(LOGIN, {"email": EMAIL, "password": PASSWORD, "next": asked})
    assert response["Location"] == asked
    client.logout()
    response = client.post(LOGIN, {"email": EMAIL, "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == SERVICES


def test_a_member_page_sends_a_visitor_to_login(client):
    response = client.get(SERVICES)
    assert response["Location"] == f"{LOGIN}?next={SERVICES}"


def test_logout_is_a_post_and_ends_the_session(logged_in):
    assert logged_in.get(reverse("portal:logout")).status_code == 405
    response = logged_in.post(reverse("portal:logout"))
    assert response["Location"] == LOGIN
    assert logged_in.get(SERVICES)["Location"].startswith(LOGIN)


def test_the_session_ends_after_fifteen_idle_minutes(logged_in, settings):
    assert (settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST) == (15 * 60, True)
    assert logged_in.get(SERVICES).status_code == 200
    # Each request pushed the expiry forward; now let fifteen minutes pass without one.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert logged_in.get(SERVICES)["Location"].startswith(LOGIN)


def test_each_request_renews_the_session(logged_in):
    logged_in.get(SERVICES)
    first = Session.objects.get().expire_date
    Session.objects.update(expire_date=first - timedelta(minutes=10))
    logged_in.get(SERVICES)
    assert Session.objects.get().expire_date >= first


def test_login_gives_a_new_session_key(client, account):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    client.post(LOGIN, {"email": EMAIL, "password": PASSWORD})
    assert client.session.session_key != before


def test_a_log_in_from_a_browser_new_to_the_account_is_told_to_the_member(client, account):
    credentials = {"email": EMAIL, "password": PASSWORD}
    client.post(LOGIN, credentials)  # the first log-in ever: the account's opening was told already
    client.post(reverse("portal:logout"))
    client.post(LOGIN, credentials)  # the same browser again
    assert not SecurityEvent.objects.filter(kind="new_device").exists()
    phone = Client(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
                                   "Chrome/130.0.0.0 Mobile Safari/537.36")
    assert phone.post(LOGIN, credentials).status_code == 302
    assert list(SecurityEvent.objects.filter(kind="new_device").values_list("channel", "detail")) == [
        ("web", "akun Anda dipakai masuk dari perangkat baru (Chrome, Android)")]
