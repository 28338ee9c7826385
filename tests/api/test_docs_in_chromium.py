"""The docs page in a real browser (Debian's chromium, driven by Playwright): Swagger UI renders
the API from /api/v1/openapi.json and every request the page makes goes to this server.

Without chromium this skips, except where SALDO_REQUIRE_CHROMIUM=1 (CI): there it fails."""

import os

import pytest

os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
def chromium(monkeypatch):
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} missing: apt-get install chromium"
        if os.environ.get("SALDO_REQUIRE_CHROMIUM") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves an asyncio loop on this thread, which Django takes for async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_the_docs_page_renders_the_api_from_this_server_alone(chromium, live_server):
    page = chromium.new_page()
    requested, refused = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)

    page.goto(f"{live_server.url}/api/v1/docs")
    page.get_by_text("/api/v1/cards/{kpj}/balance", exact=True).wait_for(timeout=30_000)

    assert page.title() == "Saldo API"
    assert page.locator(".opblock").count() == 37  # one block per operation
    assert requested and all(url.startswith(live_server.url) or url.startswith("data:") for url in requested), [
        url for url in requested if not url.startswith(live_server.url)]
    assert f"{live_server.url}/api/v1/openapi.json" in requested
    assert refused == []  # nothing was blocked by the policy either: the page needs nothing from elsewhere
