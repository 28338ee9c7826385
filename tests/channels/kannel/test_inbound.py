"""The sms-service endpoint over requests as Kannel 1.4.5 sends them (captured from smsbox with
the get-url and post-url of deploy/kannel/kannel.conf): one row per request, with the status,
the reply and what was stored."""

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from django.utils import timezone, translation

from saldo.channels.commands import replies
from saldo.channels.commands.grammar import Field, FormatError
from saldo.channels.models import InboundMessage
from tests.channels.kannel.conftest import SECRET

URL = "/channels/kannel/inbound"
KANNEL_ID = "a67944d5-5a12-452a-bcf5-5c8c1ae8a19b"  # %I: smsbox's message UUID
SENT_AT = datetime(2026, 11, 26, 12, 21, 37, tzinfo=UTC)  # %T 1795695697, %t "2026-11-26 12:21:37" (UTC)
# What smsbox sends with post-url and send-sender = true (plus Host, Date, X-Kannel-SMSC…).
POST_HEADERS = {
    "User-Agent": "Kannel/1.4.5",
    "X-Kannel-From": "081234567890",
    "X-Kannel-To": "2757",
    "X-Kannel-Time": "2026-11-26 12:21:37",
    "X-Kannel-Coding": "0",
    "X-Kannel-Service": "default",
}


@dataclass(frozen=True)
class Case:
    label: str
    query: str
    method: str = "GET"
    body: bytes = b""
    content_type: str = 'text/plain; charset="UTF-8"'
    headers: dict = field(default_factory=dict)
    status: int = 200
    reply: str | None = None  # the body; None: nothing stored, body not checked
    stored: dict | None = None


def stored(text: str, *, sender: str = "+6281234567890", received_at: datetime = SENT_AT) -> dict:
    return {"sender": sender, "text": text, "external_id": KANNEL_ID, "received_at": received_at}


def q(**params: str) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items())


S = f"secret={SECRET}"
CASES = [
    Case(
        "get-url: %p %a %I %T",
        f"{S}&from=081234567890&text=SALDO+12345678901&id={KANNEL_ID}&ts=1795695697",
        reply=replies.not_registered().text,
        stored=stored("SALDO 12345678901"),
    ),
    Case(
        "get-url: %t as smsbox writes it (UTC, with seconds)",
        f"{S}&from=081234567890&text=bantuan&id={KANNEL_ID}&time=2026-11-26+12:21:37",
        reply=replies.help_text().text,
        stored=stored("bantuan"),
    ),
    Case(
        "get-url: %t as the user guide documents it (no seconds)",
        f"{S}&from=081234567890&text=bantuan&id={KANNEL_ID}&time=2026-11-26+12:21",
        reply=replies.help_text().text,
        stored=stored("bantuan", received_at=SENT_AT.replace(second=0)),
    ),
    Case(
        "get-url: international sender 62… is stored as +62…",
        f"{S}&from=6281234567890&text=SALDO&id={KANNEL_ID}&ts=1795695697",
        reply=replies.not_registered().text,
        stored=stored("SALDO"),
    ),
    Case(
        "get-url: text in UTF-8 (%C=UTF-8)",
        f"{S}&from=081234567890&text=caf%C3%A9+%E2%82%AC&id={KANNEL_ID}&ts=1795695697&charset=UTF-8",
        reply=replies.usage().text,
        stored=stored("café €"),
    ),
    Case(
        "get-url: a UCS-2 message without mo-recode (%C=UTF-16BE)",
        f"{S}&from=081234567890&text=%00S%00A%00L%00D%00O%00%20%00%E9&id={KANNEL_ID}&ts=1795695697&charset=UTF-16BE",
        reply=replies.format_error(FormatError("saldo", Field.KPJ)).text,
        stored=stored("SALDO é"),
    ),
    Case(
        "get-url: empty text",
        f"{S}&from=081234567890&text=&id={KANNEL_ID}&ts=1795695697",
        reply=replies.usage().text,
        stored=stored(""),
    ),
    Case(
        "post-url: body is the text, sender in X-Kannel-From, time in X-Kannel-Time",
        f"{S}&id={KANNEL_ID}",
        method="POST",
        body=b"BANTUAN",
        headers=POST_HEADERS,
        reply=replies.help_text().text,
        stored=stored("BANTUAN"),
    ),
    Case(
        "post-url: %p and %T in the URL win over the headers",
        f"{S}&id={KANNEL_ID}&ts=1795695697&from=6281234567890",
        method="POST",
        body="SALDO 12345678901 terima kasih ✓".encode(),
        headers={**POST_HEADERS, "X-Kannel-From": "0899999999", "X-Kannel-Time": "2020-01-01 00:00:00"},
        reply=replies.not_registered().text,
        stored=stored("SALDO 12345678901 terima kasih ✓"),
    ),
    Case(
        "post-url: a UCS-2 body without mo-recode",
        f"{S}&id={KANNEL_ID}&ts=1795695697",
        method="POST",
        body="bantuan ✓".encode("utf-16-be"),
        content_type='text/plain; charset="UTF-16BE"',
        headers=POST_HEADERS,
        reply=replies.help_text().text,
        stored=stored("bantuan ✓"),
    ),
    Case(
        # %c (coding 2: UCS-2) makes the query string an even number of bytes: read in the
        # body's charset, as Django's request.GET reads it, it would be UTF-16 nonsense.
        "post-url: a UCS-2 body; the query string is still read as ASCII/UTF-8",
        f"{S}&id={KANNEL_ID}&ts=1795695697&coding=2",
        method="POST",
        body="saldo ✓".encode("utf-16-be"),
        content_type='text/plain; charset="UTF-16BE"',
        headers=POST_HEADERS,
        reply=replies.format_error(FormatError("saldo", Field.KPJ)).text,
        stored=stored("saldo ✓"),
    ),
    Case(
        "no time at all: the time of arrival",
        f"{S}&from=081234567890&text=bantuan&id={KANNEL_ID}",
        reply=replies.help_text().text,
        stored={**stored("bantuan"), "received_at": "now"},
    ),
    # Malformed: a misconfigured get-url; 400 and nothing stored.
    Case("no sender", f"{S}&text=SALDO&id={KANNEL_ID}&ts=1795695697", status=400),
    Case("empty sender", f"{S}&from=&text=SALDO&id={KANNEL_ID}&ts=1795695697", status=400),
    Case("no message id", f"{S}&from=081234567890&text=SALDO&ts=1795695697", status=400),
    Case("message id too long", f"{S}&from=081234567890&text=SALDO&id={'x' * 101}", status=400),
    Case("post-url without send-sender", f"{S}&id={KANNEL_ID}", method="POST", body=b"SALDO", status=400),
    Case("%T not a number", f"{S}&from=081234567890&text=SALDO&id={KANNEL_ID}&ts=%25T", status=400),
    Case("%t unreadable", f"{S}&from=081234567890&text=SALDO&id={KANNEL_ID}&time=kemarin", status=400),
    Case("unknown charset", f"{S}&from=081234567890&text=SALDO&id={KANNEL_ID}&charset=klingon", status=400),
    # The secret: 403 and nothing stored.
    Case("no secret", f"from=081234567890&text=SALDO&id={KANNEL_ID}", status=403),
    Case("wrong secret", f"secret=guess&from=081234567890&text=SALDO&id={KANNEL_ID}", status=403),
    Case("secret with a suffix", f"{S}x&from=081234567890&text=SALDO&id={KANNEL_ID}", status=403),
    Case("secret prefix only", f"secret={SECRET[:-1]}&from=081234567890&text=SALDO&id={KANNEL_ID}", status=403),
    Case(
        "wrong Basic password, no query secret",
        f"from=081234567890&text=SALDO&id={KANNEL_ID}",
        headers={"Authorization": "Basic " + base64.b64encode(b"kannel:guess").decode()},
        status=403,
    ),
    Case(
        "Basic auth from http://kannel:SECRET@host/… (the secret stays out of access logs)",
        f"from=081234567890&text=bantuan&id={KANNEL_ID}&ts=1795695697",
        headers={"Authorization": "Basic " + base64.b64encode(f"kannel:{SECRET}".encode()).decode()},
        reply=replies.help_text().text,
        stored=stored("bantuan"),
    ),
    Case(
        "garbage Authorization header, right query secret",
        f"{S}&from=081234567890&text=bantuan&id={KANNEL_ID}&ts=1795695697",
        headers={"Authorization": "Basic !!!"},
        reply=replies.help_text().text,
        stored=stored("bantuan"),
    ),
]


def send(kannel_client, case: Case):
    return kannel_client.generic(
        case.method, f"{URL}?{case.query}", data=case.body, content_type=case.content_type, headers=case.headers
    )


def stored_rows() -> list[dict]:
    return list(InboundMessage.objects.values("sender", "text", "external_id", "received_at", "reply"))


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_kannel_request(kannel_client, case: Case):
    before = timezone.now()
    response = send(kannel_client, case)
    assert response.status_code == case.status
    if case.stored is None:
        assert stored_rows() == []
        return
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == case.reply
    (row,) = stored_rows()
    if case.stored["received_at"] == "now":
        assert before <= row.pop("received_at") <= timezone.now()
        expected = {k: v for k, v in case.stored.items() if k != "received_at"}
    else:
        expected = case.stored
    assert row == {**expected, "reply": case.reply}


def test_no_secret_configured_refuses_even_an_empty_secret(kannel_client, settings):
    settings.SALDO_KANNEL = {**settings.SALDO_KANNEL, "SECRET": ""}
    response = kannel_client.get(f"{URL}?secret=&from=081234567890&text=SALDO&id={KANNEL_ID}")
    assert response.status_code == 403
    assert stored_rows() == []


def test_the_same_kannel_id_twice_is_stored_once_and_answered_the_same(kannel_client):
    # smsbox's http-request-retry re-sends with the same %I after a timeout or an error.
    first = send(kannel_client, CASES[0])
    again = send(kannel_client, CASES[0])
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.content == first.content
    assert InboundMessage.objects.count() == 1


def test_other_methods_are_refused(kannel_client):
    assert kannel_client.put(f"{URL}?{CASES[0].query}").status_code == 405
    assert stored_rows() == []


# Kannel's callbacks skip the site's browser middleware (channels/kannel/middleware.py); what
# they keep of it:


def test_the_reply_is_in_the_sites_language_whatever_a_browser_left_on_the_thread(kannel_client):
    with translation.override("en"):  # as LocaleMiddleware leaves it after an English visitor
        response = send(kannel_client, CASES[1])
    assert response.content.decode() == replies.help_text().text
    assert response.content.decode().startswith("Layanan saldo")


def test_a_host_not_allowed_is_refused(kannel_client):
    response = kannel_client.get(f"{URL}?{CASES[0].query}", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert stored_rows() == []


def test_the_answer_says_its_length(kannel_client):
    response = send(kannel_client, CASES[0])
    assert int(response["Content-Length"]) == len(response.content) > 0


def test_other_pages_keep_the_middleware(kannel_client):
    assert kannel_client.get("/healthz").headers["X-Frame-Options"] == "DENY"
    assert "X-Frame-Options" not in send(kannel_client, CASES[0]).headers
