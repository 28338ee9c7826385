"""Kannel's two callbacks: an SMS from a member (sms-service get-url or post-url) and a delivery
report (the dlr-url of a message we sent). Thin adapters: parse → one service call → render.

Both are protected by SALDO_KANNEL["SECRET"], given either as the password of HTTP Basic auth
(Kannel sends it for a URL written `http://kannel:SECRET@host/…`; it stays out of access logs)
or as a `secret` query parameter.

The inbound endpoint answers with the reply as text/plain; charset=utf-8: with
`accept-x-kannel-headers = true` on the sms-service Kannel honours the charset (without one it
reads the body as Latin-1 and mangles é, €, £). Dedupe on Kannel's message id (%I) is the
service's job; this view only has to answer fast, before smsbox's http-timeout makes it retry.

inbound_answer and dlr_answer read the request from its WSGI environ and body, not from an
HttpRequest: under gunicorn they answer at the WSGI layer (kannel/wsgi.py) without Django's
request and response objects; `inbound` and `dlr` are the same answers as Django views, for
Django's own handler (the test client, runserver).
"""

import base64
import binascii
import codecs
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from saldo.channels.kannel.transport import DLR_STATUS
from saldo.channels.models import Channel
from saldo.channels.outbox import outbound_report
from saldo.channels.services import inbound_receive
from saldo.core.errors import NotFound

PLAIN = "text/plain; charset=utf-8"
METHODS = ("GET", "POST")
# Longer than any number an SMSC sends; the service normalises what is inside.
MAX_SENDER = 40
MAX_EXTERNAL_ID = 100  # InboundMessage.external_id; Kannel's %I is a 36-character UUID


class Malformed(Exception):
    """A request Kannel, configured as in deploy/kannel/kannel.conf, would never send."""


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


@dataclass(frozen=True)
class KannelSms:
    sender: str
    text: str
    external_id: str
    received_at: datetime


@csrf_exempt
@require_http_methods(list(METHODS))
def inbound(request: HttpRequest) -> HttpResponse:
    return _response(inbound_answer(request.META, request.body, now=timezone.now()))


@csrf_exempt
@require_http_methods(list(METHODS))
def dlr(request: HttpRequest) -> HttpResponse:
    return _response(dlr_answer(request.META, now=timezone.now()))


def _response(answer: Answer) -> HttpResponse:
    return HttpResponse(answer.text, status=answer.status, content_type=PLAIN)


def inbound_answer(environ: Mapping, body: bytes, *, now: datetime) -> Answer:
    """The answer to one sms-service request: the reply (200), or 403 or 400 and nothing stored."""
    query = query_of(environ)
    if not secret_ok(environ, query):
        return Answer(403, "forbidden")
    try:
        sms = sms_parse(environ, query, body, now=now)
    except Malformed as exc:
        return Answer(400, str(exc))
    message = inbound_receive(
        channel=Channel.SMS,
        sender=sms.sender,
        text=sms.text,
        external_id=sms.external_id,
        received_at=sms.received_at,
    )
    return Answer(200, message.reply or "")


def dlr_answer(environ: Mapping, *, now: datetime) -> Answer:
    query = query_of(environ)
    if not secret_ok(environ, query):
        return Answer(403, "forbidden")
    try:
        message_id, status = dlr_parse(query)
    except Malformed as exc:
        return Answer(400, str(exc))
    try:
        outbound_report(message_id=message_id, status=status, at=now)
    except NotFound:
        return Answer(404, "unknown message")
    return Answer(200, "ok")


def query_of(environ: Mapping) -> dict[str, str]:
    """The query parameters, the last one of a name winning (as QueryDict.get does); the query
    string's bytes read as UTF-8, whatever charset the body is in."""
    raw = environ.get("QUERY_STRING", "").encode("iso-8859-1")  # WSGI: the bytes as Latin-1
    return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


def secret_ok(environ: Mapping, query: Mapping[str, str]) -> bool:
    expected = settings.SALDO_KANNEL["SECRET"].encode()
    if not expected:
        return False  # an unconfigured secret must not mean "no secret"
    given = [_basic_password(environ), query.get("secret", "")]
    # Every candidate is compared, so the time taken says nothing about which one was close.
    matches = [hmac.compare_digest(candidate.encode(), expected) for candidate in given]
    return any(matches)


def _basic_password(environ: Mapping) -> str:
    scheme, _, credentials = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[2]


def sms_parse(environ: Mapping, query: Mapping[str, str], body: bytes, *, now: datetime) -> KannelSms:
    """Map Kannel's escape codes to one message: %p `from` (or X-Kannel-From with send-sender),
    %a `text` (or the POST body), %I `id`, %T `ts` or %t `time` (Kannel writes UTC)."""
    sender = (query.get("from") or environ.get("HTTP_X_KANNEL_FROM", "")).strip()
    external_id = query.get("id", "").strip()
    if not sender or len(sender) > MAX_SENDER:
        raise Malformed("missing or overlong sender (from=%p)")
    if not external_id or len(external_id) > MAX_EXTERNAL_ID:
        raise Malformed("missing or overlong message id (id=%I)")
    if environ.get("REQUEST_METHOD") == "POST":
        text = body.decode(_charset(_content_charset(environ.get("CONTENT_TYPE", ""))), "replace")
    else:
        text = _get_text(environ, query)
    time_text = query.get("time") or environ.get("HTTP_X_KANNEL_TIME", "")
    received_at = _received_at(query.get("ts", ""), time_text, now=now)
    return KannelSms(sender=sender, text=text, external_id=external_id, received_at=received_at)


def _content_charset(content_type: str) -> str:
    # Kannel writes `text/plain; charset="UTF-8"` (quoted), or UTF-16BE for a UCS-2 message
    # when mo-recode is off.
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value
    return ""


def _charset(name: str) -> str:
    name = name.strip().strip('"') or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise Malformed(f"unknown charset {name[:40]!r}") from None


def _get_text(environ: Mapping, query: Mapping[str, str]) -> str:
    charset = _charset(query.get("charset", ""))  # %C, if the get-url passes it
    if charset == "utf-8":
        return query.get("text", "")
    # The keys are ASCII whatever the charset; only the value's bytes are in `charset`.
    for pair in environ.get("QUERY_STRING", "").split("&"):
        key, _, value = pair.partition("=")
        if key == "text":
            return unquote_to_bytes(value.replace("+", " ")).decode(charset, "replace")
    return ""


def _received_at(ts: str, time_text: str, *, now: datetime) -> datetime:
    if ts:
        try:
            return datetime.fromtimestamp(int(ts), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise Malformed("ts must be a unix time (%T)") from None
    if time_text:
        for layout in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
            try:
                return datetime.strptime(time_text.strip(), layout).replace(tzinfo=UTC)
            except ValueError:
                continue
        raise Malformed("time must be YYYY-MM-DD HH:MM[:SS] (%t)")
    return now


def dlr_parse(query: Mapping[str, str]) -> tuple[int, str]:
    """Our message id and the status its report type (%d) means."""
    try:
        message_id = int(query.get("id", ""))
        report = int(query.get("type", ""))
    except ValueError:
        raise Malformed("id and type (%d) must be integers") from None
    if report not in DLR_STATUS:
        raise Malformed("unknown report type")
    return message_id, DLR_STATUS[report]
