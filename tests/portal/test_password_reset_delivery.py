"""The reset page does not wait for the mail server: the code is mailed after the page is sent.

If the page waited, a known email (a mail to send) would answer later than an unknown one (none),
and the page's timing would tell anyone which emails have an account. Here the app runs on a
live server on 127.0.0.1 with Django's real SMTP backend, against a mail server that holds its
greeting until the test lets it go: the page must arrive while the mail server is still held."""

import http.cookiejar
import re
import urllib.parse
import urllib.request

import pytest
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from tests.portal.conftest import EMAIL, PASSWORD
from tests.smtp_stand_in import smtp_stand_in

# Generous for a loaded machine; a page that waited for the held mail server would take forever.
PAGE_TIMEOUT = 30
MAIL_TIMEOUT = 30


@pytest.fixture
def site(django_db_blocker, transactional_db):
    with django_db_blocker.unblock():
        server = LiveServer("127.0.0.1:0")
    yield server.url
    server.stop()


@pytest.fixture
def mail_server(settings):
    with smtp_stand_in(hold=True) as stand_in:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", stand_in.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield stand_in


class Browser:
    """Cookies and the CSRF token, as a browser would carry them between pages."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def submit(self, path: str, fields: dict[str, str]) -> str:
        """GET the form at `path`, POST it with `fields`; the final page's address."""
        form = self.opener.open(self.base + path, timeout=PAGE_TIMEOUT).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        with self.opener.open(self.base + path, data=data, timeout=PAGE_TIMEOUT) as response:
            return response.url


def test_the_reset_page_answers_before_the_mail_server_and_the_code_arrives_after(site, mail_server, account):
    browser = Browser(site)

    landed = browser.submit(reverse("portal:reset-request"), {"email": EMAIL})

    assert landed == site + reverse("portal:reset-confirm")
    assert mail_server.messages == []
    mail_server.release.set()
    assert mail_server.received.wait(MAIL_TIMEOUT), "the reset mail never reached the mail server"
    [mail] = mail_server.messages
    assert mail["To"] == EMAIL
    code = re.search(r"^\s+(\d{4} \d{4})\s*$", mail.get_payload(decode=True).decode(), flags=re.M).group(1)
    new_password = PASSWORD + "-baru"
    fields = {"email": EMAIL, "code": code, "password": new_password, "password_again": new_password}
    landed = browser.submit(reverse("portal:reset-confirm"), fields)
    assert landed == site + reverse("portal:login")
    account.user.refresh_from_db()
    assert account.user.check_password(new_password)

