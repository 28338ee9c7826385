"""The reset code never reaches a log: no address the flow asks for holds it (so no access log,
proxy log or Referer header can), and no log record written meanwhile does.

First through Django's handler with every logger at DEBUG (SQL included), then through the same
gunicorn command `make run` serves with (its access log, Django's log at DEBUG), counting the log
lines that hold the code, as the security review counted five lines holding the old link's token."""

import http.cookiejar
import logging
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from tests.channels.kannel.harness import free_port
from tests.portal.conftest import EMAIL, PASSWORD

REQUEST = reverse("portal:reset-request")
CONFIRM = reverse("portal:reset-confirm")
LOGIN = reverse("portal:login")
NEW_PASSWORD = "baru-Saldo-2027"
ROOT = Path(__file__).resolve().parents[2]
DEADLINE_SECONDS = 30  # generous for a loaded CI box; each step takes well under a second


def code_forms(code: str) -> list[str]:
    """The code as mailed ("1234 5678"), as typed without the space, and URL-encoded."""
    return [code, code.replace(" ", ""), urllib.parse.quote_plus(code)]


def holding(texts: list[str], code: str) -> list[str]:
    return [text for text in texts if any(form in text for form in code_forms(code))]


# --- through Django's handler, every logger at DEBUG ------------------------------------------


@pytest.fixture
def every_log_record():
    """Every log record written while the test runs, whatever its logger and level; SQL too."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    keep = Keep(logging.DEBUG)
    root = logging.getLogger()
    loggers = [root] + [lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    saved = [(lg, lg.level, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
    kept_by = [root] + [lg for lg in loggers if not lg.propagate]
    for lg in kept_by:
        lg.addHandler(keep)
    connection.force_debug_cursor = True  # django.db.backends logs every query and its parameters
    try:
        yield records
    finally:
        connection.force_debug_cursor = False
        for lg in kept_by:
            lg.removeHandler(keep)
        for lg, level, disabled in saved:
            lg.setLevel(level)
            lg.disabled = disabled


def record_texts(records: list[logging.LogRecord]) -> list[str]:
    """What a handler could write of each record: the formatted message and traceback, and every
    attribute (a request logged with its record shows its path)."""
    formatter = logging.Formatter()
    return [formatter.format(r) + " " + " ".join(repr(v) for v in vars(r).values()) for r in records]


def test_no_address_and_no_log_record_of_the_flow_holds_the_code(client, account, every_log_record):
    urls: list[str] = []

    def visit(response):
        request = response.wsgi_request
        urls.append(request.get_full_path())
        urls.extend([response.get("Location", "")])
        if response.get("Content-Type", "").startswith("text/html"):
            urls.extend(re.findall(r'(?:href|action|src)="([^"]*)"', response.content.decode()))
        return response

    visit(client.get(REQUEST))
    visit(client.post(REQUEST, {"email": EMAIL}))
    visit(client.get(CONFIRM))
    code = re.search(r"^\s+(\d{4} \d{4})\s*$", mail.outbox[-1].body, flags=re.M).group(1)
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    fields = {"email": EMAIL, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    visit(client.post(CONFIRM, {**fields, "code": wrong}))
    done = visit(client.post(CONFIRM, {**fields, "code": code}))
    visit(client.get(done["Location"]))
    visit(client.post(LOGIN, {"email": EMAIL, "password": NEW_PASSWORD}))

    assert done["Location"] == LOGIN
    assert urls and holding(urls, code) == [] and holding(urls, wrong) == []
    texts = record_texts(every_log_record)
    assert any("core_attempt" in t for t in texts)  # SQL was captured
    assert holding(texts, code) == [] and holding(texts, wrong) == []


def test_the_code_is_kept_out_of_error_reports(client, account):
    """Were the page to fail, Django's error report (mail to admins, the DEBUG page) would list the
    POST: the code and the passwords are marked sensitive, so it shows stars instead."""
    from django.views.debug import SafeExceptionReporterFilter

    client.post(REQUEST, {"email": EMAIL})
    response = client.post(CONFIRM, {"email": EMAIL, "code": "1234 5678", "password": "x", "password_again": "x"})
    request = response.wsgi_request
    cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
    assert (cleaned["code"], cleaned["password"], cleaned["password_again"], cleaned["email"]) == (
        "********************", "********************", "********************", EMAIL)


# --- through gunicorn, as `make run` serves ---------------------------------------------------------


ACCOUNT_SETUP = f"""
import django
django.setup()
from datetime import date
from tests.factories import make_account, make_member
member = make_member(kpj="68516716147", name="NENG KURNIASIH", birth_date=date(1987, 10, 7), phone="+628154817745")
make_account(member, email={EMAIL!r}, password={PASSWORD!r}, phone="+628154817745")
"""


@pytest.fixture
def gunicorn_site(tmp_path):
    """The app served by gunicorn as `make run` serves it (two workers, the access log on), on a
    SQLite file of its own with one activated account, mail to files, the root logger at DEBUG
    (what it writes goes to the console, kept in console.log)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "saldo.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'saldo.sqlite3'}",
        "SALDO_DATA_DIR": str(tmp_path),
        "SALDO_DEMO_OUTBOX": str(tmp_path / "outbox"),
        "SALDO_LOG_LEVEL": "DEBUG",
        "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    env.pop("SALDO_TEST_DB_NAME", None)
    python = sys.executable
    subprocess.run([python, "-m", "django", "migrate", "--no-input", "-v0"], env=env, cwd=tmp_path, check=True)
    subprocess.run([python, "-c", ACCOUNT_SETUP], env=env, cwd=tmp_path, check=True)
    port = free_port()
    gunicorn = Path(python).parent / "gunicorn"
    argv = [str(gunicorn), "saldo.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
            "--access-logfile", str(tmp_path / "access.log"), "--error-logfile", str(tmp_path / "error.log")]
    with (tmp_path / "console.log").open("wb") as console:
        server = subprocess.Popen(argv, env=env, cwd=tmp_path, stdout=console, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((tmp_path / "console.log").read_text()) from None
                time.sleep(0.05)
        yield url, tmp_path, server
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=DEADLINE_SECONDS)


class Browser:
    """Cookies, the CSRF token and the Referer header, as a browser sends them."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.page = ""

    def open(self, path: str, fields: dict[str, str] | None = None) -> str:
        headers = {"Referer": self.page} if self.page else {}
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        with self.opener.open(request, timeout=DEADLINE_SECONDS) as response:
            self.page = response.url
            return response.read().decode()

    def submit(self, path: str, fields: dict[str, str]) -> str:
        """GET the form at `path`, POST it with `fields`; the final page's path."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.open(path)).group(1)
        self.open(path, {"csrfmiddlewaretoken": token, **fields})
        return urllib.parse.urlsplit(self.page).path


def mailed_code(outbox: Path) -> str:
    """The code in the reset mail written under outbox/mail/ (the activation PIN's mail is there too)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        for path in sorted((outbox / "mail").glob("*")):
            if found := re.search(r"^\s+(\d{4} \d{4})\s*$", path.read_text(), flags=re.M):
                return found.group(1)
        time.sleep(0.05)
    raise AssertionError("no reset mail under " + str(outbox))


def test_under_gunicorn_no_log_line_holds_the_code(gunicorn_site):
    url, folder, server = gunicorn_site
    browser = Browser(url)

    assert browser.submit(REQUEST, {"email": EMAIL}) == CONFIRM
    code = mailed_code(folder / "outbox")
    fields = {"email": EMAIL, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert browser.submit(CONFIRM, {**fields, "code": code}) == LOGIN
    assert browser.submit(LOGIN, {"email": EMAIL, "password": NEW_PASSWORD}) == reverse("portal:services")
    server.terminate()
    server.wait(timeout=DEADLINE_SECONDS)

    logs = {name: (folder / name).read_text(errors="replace").splitlines()
            for name in ("access.log", "error.log", "console.log")}
    lines = [line for found in logs.values() for line in found]
    assert holding(lines, code) == []  # the review counted 5 such lines with the old link
    # The access log did record the flow, with the Referer each POST carried.
    reset_lines = [line for line in logs["access.log"] if f"{CONFIRM} " in line]
    assert len(reset_lines) >= 3 and any(f'"{url}{CONFIRM}"' in line for line in reset_lines), logs["access.log"]
