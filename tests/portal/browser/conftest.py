"""The portal in a real browser: Debian's chromium driven by Playwright, against the app served
on 127.0.0.1 by a live server thread, with a stand-in Kannel sendsms receiving the SMS.

Chromium comes from apt (`apt-get install chromium`, done by .ci/run), never from `playwright
install`. Without it these tests skip, except where SALDO_REQUIRE_CHROMIUM=1 (CI): there they fail."""

import os
import re
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from pytest_django.live_server_helper import LiveServer

from tests.channels.kannel.stand_in import sendsms_stand_in

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "portal"
PHONE_WIDTH, PHONE_HEIGHT = 360, 740


# Module-scoped: Playwright's sync API leaves an asyncio loop on the main thread while it runs,
# which Django takes for an async context; ending it with the module spares every later test.
@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} missing: apt-get install chromium"
        if os.environ.get("SALDO_REQUIRE_CHROMIUM") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch):
    """Playwright's sync API keeps an asyncio loop registered on this thread, which Django takes
    for an async context; the test's own ORM calls (fixtures, assertions) are plain sync code."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server's threads share the test's one in-memory SQLite connection (pytest-django
    hands it to them): two requests a page makes at once (the admin's two <img> of a contact
    change) would run their queries on it together and fail ("cannot start a transaction within
    a transaction", a 400). Here each request runs alone, from the application call until its
    response is closed (after-response jobs included); connections are still accepted in parallel,
    so a browser's idle keep-alive connection blocks nothing."""

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            lock.acquire()
            try:
                return _ReleasedOnClose(application(environ, start_response), lock)
            except BaseException:
                lock.release()
                raise

        super().set_app(one_at_a_time)


class _ReleasedOnClose:
    def __init__(self, response, lock):
        self.response, self.lock = response, lock

    def __iter__(self):
        return iter(self.response)

    def close(self):
        try:
            self.response.close()
        finally:
            self.lock.release()


@pytest.fixture(scope="session")
def live_portal(django_db_setup, django_db_blocker):
    """The app on 127.0.0.1, on a free port, for the whole session, one request at a time."""
    with django_db_blocker.unblock():
        server = LiveServer("127.0.0.1:0", start=False)
        server.thread.server_class = OneRequestAtATime
        server.start()
    yield server
    server.stop()


@pytest.fixture
def portal(live_portal, transactional_db, settings):
    """The live server's base URL; the test and the server share the database (transactional)."""
    settings.SALDO_KANNEL = {**settings.SALDO_KANNEL, "SEND_BACKOFF": 0, "SEND_ATTEMPTS": 2}
    return live_portal.url


@pytest.fixture
def sms_gateway(settings, portal_settings):
    """The stand-in sendsms: SMS go through the real outbox and Kannel transport to it."""
    with sendsms_stand_in([202]) as stand_in:
        settings.SALDO_TRANSPORTS = {}
        settings.SALDO_KANNEL = {**settings.SALDO_KANNEL, "SENDSMS_URL": stand_in.url}
        yield stand_in


def pin_received(stand_in, phone: str) -> str:
    """The PIN in the last SMS with a PIN the gateway received for `phone` (security notices may
    have come after it)."""
    texts = [r["text"] for r in stand_in.requests if r.get("to") == phone and r["text"].startswith("PIN Saldo")]
    assert texts, f"no SMS to {phone} reached the gateway"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


@pytest.fixture
def page(browser, portal, request):
    """A phone-sized page that records what a page must never do: ask another host for
    anything, or log an error (a CSP violation shows up there)."""
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT}, device_scale_factor=1, locale="en-US"
    )
    page = context.new_page()
    page.foreign_requests = []
    page.console_errors = []
    page.on("request", lambda r: None if r.url.startswith(portal) else page.foreign_requests.append(r.url))
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert page.foreign_requests == []
    assert page.console_errors == []


@pytest.fixture
def shoot(page, request):
    """Save a full-page 360-px screenshot under test-artifacts/portal/, after checking the page
    fits the phone's width and its text keeps its contrast. `shoot(name, other_page)` takes another
    page of the test (a second person's browser) the same way."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test = request.node.name.removeprefix("test_")[:40]
    count = iter(range(1, 100))

    def take(name: str, on=None) -> Path:
        on = on or page
        on.wait_for_load_state()
        assert on.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, f"{name} wider than the phone"
        assert low_contrast(on) == [], name
        path = ARTIFACTS / f"{test}-{next(count):02d}-{name}.png"
        on.screenshot(path=str(path), full_page=True)
        return path

    return take


# Every visible element with its own text: WCAG contrast of its colour on the first opaque
# background behind it (4.5:1, or 3:1 for large text).
_CONTRAST_JS = """
() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('.visually-hidden, .skip')) continue;
    const a = lum(rgb(style.color).slice(0, 3)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < needed) low.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
  }
  return low;
}
"""


def low_contrast(page) -> list[str]:
    return page.evaluate(_CONTRAST_JS)
