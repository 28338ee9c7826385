"""Kannel's two callbacks: an SMS from a member (sms-service get-url or post-url) and a delivery
report (the dlr-url of a message we sent). Thin adapters: parse → one service call → render.

Both are protected by SALDO_KANNEL["SECRET"], given either as the password of HTTP Basic auth
(Kannel sends it for a URL written `http://kannel:SECRET@host/…`; it stays out of access logs)
or as a `secret` query parameter.

The inbound endpoint answers with the reply as text/plain; charset=utf-8: with
`accept-x-kannel-headers = true` on the sms-service Kannel honours the charset (without one it
reads the body as Latin-1 and mangles é, €, £). Dedupe on Kannel's message id (%I) is the
service's job; this view only has to answer fast, before smsbox's http-timeout makes it retry.
"""

import base64
import binascii
import codecs
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote_to_bytes

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
# Longer than any number an SMSC sends; the service normalises what is inside.
MAX_SENDER = 40
MAX_EXTERNAL_ID = 100  # InboundMessage.external_id; Kannel's %I is a 36-character UUID


class Malformed(Exception):
    """A request Kannel, configured as in deploy/kannel/kannel.conf, would never send."""


@dataclass(frozen=True)
class KannelSms:
    sender: str
    text: str
    external_id: str
    received_at: datetime


@csrf_exempt
@require_http_methods(["GET", "POST"])
def inbound(request: HttpRequest) -> HttpResponse:
    if not secret_ok(request):
        return HttpResponse("forbidden", status=403, content_type=PLAIN)
    try:
        sms = sms_parse(request, now=timezone.now())
    except Malformed as exc:
        return HttpResponse(str(exc), status=400, content_type=PLAIN)
    message = inbound_receive(
        channel=Channel.SMS,
        sender=sms.sender,
        text=sms.text,
        external_id=sms.external_id,
        received_at=sms.received_at,
    )
    return HttpResponse(message.reply or "", content_type=PLAIN)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def dlr(request: HttpRequest) -> HttpResponse:
    if not secret_ok(request):
        return HttpResponse("forbidden", status=403, content_type=PLAIN)
    try:
        message_id, status = dlr_parse(request)
    except Malformed as exc:
        return HttpResponse(str(exc), status=400, content_type=PLAIN)
    try:
        outbound_report(message_id=message_id, status=status, at=timezone.now())
    except NotFound:
        return HttpResponse("unknown message", status=404, content_type=PLAIN)
    return HttpResponse("ok", content_type=PLAIN)


def secret_ok(request: HttpRequest) -> bool:
    expected = settings.SALDO_KANNEL["SECRET"].encode()
    if not expected:
        return False  # an unconfigured secret must not mean "no secret"
    given = [_basic_password(request), request.GET.get("secret", "")]
    # Every candidate is compared, so the time taken says nothing about which one was close.
    matches = [hmac.compare_digest(candidate.encode(), expected) for candidate in given]
    return any(matches)


def _basic_password(request: HttpRequest) -> str:
    # META rather than request.headers: that builds a mapping of every header on first use.
    scheme, _, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[2]


def sms_parse(request: HttpRequest, *, now: datetime) -> KannelSms:
    """Map Kannel's escape codes to one message: %p `from` (or X-Kannel-From with send-sender),
    %a `text` (or the POST body), %I `id`, %T `ts` or %t `time` (Kannel writes UTC)."""
    query = request.GET
    sender = (query.get("from") or request.META.get("HTTP_X_KANNEL_FROM", "")).strip()
    external_id = query.get("id", "").strip()
    if not sender or len(sender) > MAX_SENDER:
        raise Malformed("missing or overlong sender (from=%p)")
    if not external_id or len(external_id) > MAX_EXTERNAL_ID:
        raise Malformed("missing or overlong message id (id=%I)")
    text = _post_text(request) if request.method == "POST" else _get_text(request)
    time_text = query.get("time") or request.META.get("HTTP_X_KANNEL_TIME", "")
    received_at = _received_at(query.get("ts", ""), time_text, now=now)
    return KannelSms(sender=sender, text=text, external_id=external_id, received_at=received_at)


def _charset(name: str) -> str:
    name = name.strip().strip('"') or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise Malformed(f"unknown charset {name[:40]!r}") from None


def _post_text(request: HttpRequest) -> str:
    # Kannel writes `text/plain; charset="UTF-8"` (quoted), or UTF-16BE for a UCS-2 message
    # when mo-recode is off.
    charset = _charset(request.content_params.get("charset", ""))
    return request.body.decode(charset, "replace")


def _get_text(request: HttpRequest) -> str:
    charset = _charset(request.GET.get("charset", ""))  # %C, if the get-url passes it
    if charset == "utf-8":
        return request.GET.get("text", "")
    # The keys are ASCII whatever the charset; only the value's bytes are in `charset`.
    for pair in request.META.get("QUERY_STRING", "").split("&"):
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


def dlr_parse(request: HttpRequest) -> tuple[int, str]:
    """Our message id and the status its report type (%d) means."""
    try:
        message_id = int(request.GET.get("id", ""))
        report = int(request.GET.get("type", ""))
    except ValueError:
        raise Malformed("id and type (%d) must be integers") from None
    if report not in DLR_STATUS:
        raise Malformed("unknown report type")
    return message_id, DLR_STATUS[report]
