"""What every portal page shares: CSRF on every form, cookie flags, no caching, a strict CSP,
Bahasa Indonesia unless the member switches, and assets served by the app itself."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import saldo.portal
from saldo import settings as saldo_settings
from tests.portal.conftest import EMAIL, PASSWORD

TEMPLATES = Path(saldo.portal.__file__).parent / "templates"
PAGES = ["portal:home", "portal:register", "portal:login", "portal:reset-request", "portal:reset-confirm"]


@pytest.mark.parametrize(
    "name, data",
    [
        ("portal:register", {"kpj": "68516716147"}),
        ("portal:login", {"email": EMAIL, "password": PASSWORD}),
        ("portal:reset-request", {"email": EMAIL}),
        ("portal:reset-confirm", {"email": EMAIL, "code": "12345678"}),
        ("portal:logout", {}),
        ("portal:language", {"language": "en"}),
        ("portal:balance-pin-request", {}),
    ],
)
def test_a_form_sent_without_its_csrf_token_is_refused_with_advice(name, data):
    response = Client(enforce_csrf_checks=True).post(reverse(name), data)
    assert response.status_code == 403
    assert "Formulir ini sudah terlalu lama terbuka" in response.content.decode()


def test_every_form_carries_a_csrf_token():
    forms = 0
    for path in TEMPLATES.rglob("*.html"):
        for form in re.findall(r"<form\b.*?</form>", path.read_text(), flags=re.S):
            forms += 1
            assert 'method="post"' in form and "{% csrf_token %}" in form, path.name
    assert forms >= 10


def test_the_session_and_csrf_cookies_are_http_only(client, account):
    client.get(reverse("portal:login"))
    response = client.post(reverse("portal:login"), {"email": EMAIL, "password": PASSWORD})
    session = response.cookies["sessionid"]
    assert (session["httponly"], session["samesite"]) == (True, "Lax")
    assert client.cookies["csrftoken"]["httponly"] is True


@pytest.mark.parametrize(
    "hosts, choice, secure",
    [
        (["saldo.example.id"], None, True),
        (["127.0.0.1", "localhost"], None, False),
        (["saldo.example.id"], "0", False),
        (["127.0.0.1"], "1", True),
    ],
)
def test_cookies_are_secure_once_the_service_answers_beyond_this_machine(monkeypatch, hosts, choice, secure):
    """What SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE are set from, for a server started with
    these SALDO_ALLOWED_HOSTS and SALDO_SECURE_COOKIES."""
    monkeypatch.setattr(saldo_settings, "ALLOWED_HOSTS", hosts)
    if choice is None:
        monkeypatch.delenv("SALDO_SECURE_COOKIES", raising=False)
    else:
        monkeypatch.setenv("SALDO_SECURE_COOKIES", choice)
    assert saldo_settings._secure_cookies() is secure


def test_the_tests_run_with_the_setting_that_rule_gives(settings):
    assert settings.SESSION_COOKIE_SECURE == settings.CSRF_COOKIE_SECURE == saldo_settings._secure_cookies()


@pytest.mark.parametrize("name", PAGES)
def test_pages_are_not_cached_and_allow_only_our_own_assets(client, name):
    response = client.get(reverse(name))
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"].startswith("default-src 'none'; style-src 'self'; img-src 'self'")
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_loads_anything_from_elsewhere():
    for path in TEMPLATES.rglob("*.html"):
        assert not re.search(r'(src|href)="(https?:)?//', path.read_text()), path.name
    css = (Path(saldo.portal.__file__).parent / "static/portal/portal.css").read_text()
    assert "url(" not in css and "@import" not in css


def test_the_stylesheet_is_served_by_the_app(client):
    response = client.get("/static/portal/portal.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"/* Saldo member portal.")


def test_favicon_ico_is_the_portals_icon_without_touching_the_session(client):
    # What a browser asks for on a page naming no icon (the admin's), before any session work.
    client.cookies["sessionid"] = "a-session-the-request-must-not-read"
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, "/static/portal/favicon.svg")
    assert response.cookies == {} and client.get(response["Location"]).status_code == 200


def test_bahasa_indonesia_even_for_a_browser_asking_for_english(client):
    response = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()
    assert "Cek saldo JHT Anda, kapan saja" in response.content.decode()


def test_the_switch_turns_the_portal_english_and_back(client):
    home = reverse("portal:home")
    response = client.post(reverse("portal:language"), {"language": "en", "next": home})
    assert response["Location"] == home
    page = client.get(home).content.decode()
    assert '<html lang="en">' in page and "Check your JHT balance, any time" in page
    client.post(reverse("portal:language"), {"language": "id", "next": home})
    assert "Cek saldo JHT Anda, kapan saja" in client.get(home).content.decode()


def test_error_messages_follow_the_language(client):
    client.post(reverse("portal:language"), {"language": "en"})
    response = client.post(reverse("portal:login"), {"email": "siapa@example.com", "password": "x"})
    assert response.context["form"].non_field_errors() == ["Wrong email or password."]


def test_every_input_has_a_label(client):
    for name in ["portal:register", "portal:login", "portal:reset-request"]:
        page = client.get(reverse(name)).content.decode()
        ids = re.findall(r'<input (?![^>]*type="hidden")[^>]*id="([^"]+)"', page)
        assert ids, name
        for input_id in ids:
            assert f'<label for="{input_id}">' in page, (name, input_id)


def test_the_home_page_invites_to_log_in_or_register(client):
    page = client.get("/").content.decode()
    assert f'href="{reverse("portal:login")}"' in page and f'href="{reverse("portal:register")}"' in page


def test_a_logged_in_member_goes_from_home_to_the_services(logged_in):
    assert logged_in.get("/")["Location"] == reverse("portal:services")


def test_a_staff_user_without_a_member_account_is_sent_to_login(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="operator", password="x"))
    assert client.get(reverse("portal:services"))["Location"].startswith(reverse("portal:login"))
