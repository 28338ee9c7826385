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
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def submit(self, path: str, fields: dict[str, str], *, before_following=None) -> str:
        """GET the form at `path`, POST it with `fields`; the final page's address. `before_following`
        runs once the POST's own answer is in, before its redirect is followed."""
        form = self.opener.open(self.base + path, timeout=PAGE_TIMEOUT).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        if before_following is None:
            with self.opener.open(self.base + path, data=data, timeout=PAGE_TIMEOUT) as response:
                return response.url
        no_redirect = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        with no_redirect.open(self.base + path, data=data, timeout=PAGE_TIMEOUT) as response:
            location = response.headers["Location"]
        before_following()
        with self.opener.open(urllib.parse.urljoin(self.base, location), timeout=PAGE_TIMEOUT) as response:
            return response.url


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def test_the_reset_page_answers_before_the_mail_server_and_the_code_arrives_after(site, mail_server, account):
    browser = Browser(site)

    # The page's answer comes first; the mail job then looks the email up and connects to the
    # (held) mail server. The next page waits for that: the test's SQLite is one connection that the
    # live server's threads share, and two of them talking to it at once is the test's race, not
    # the app's.
    landed = browser.submit(reverse("portal:reset-request"), {"email": EMAIL},
                            before_following=lambda: mail_server.connected.wait(MAIL_TIMEOUT))

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

