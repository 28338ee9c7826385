"""The Cloud API webhook, one URL for both of Meta's calls:

    GET  ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…  the subscription handshake:
         200 with the bare challenge when the token matches VERIFY_TOKEN, else 403.
    POST the messages and statuses, signed: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the
         raw body with APP_SECRET>. Unsigned or wrongly signed: 401, nothing read.

A signed POST is answered 200 as soon as its messages are stored and its statuses recorded; the
messages are answered after the response has gone (AnsweredAfterResponse), so a slow Graph API
never makes Meta time out and retry. A thin adapter: parse, then the services.
"""

import hashlib
import hmac
import json
import logging
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from saldo.channels.whatsapp.payloads import webhook_parse
from saldo.channels.whatsapp.services import messages_answer, webhook_receive

log = logging.getLogger(__name__)
PLAIN = "text/plain; charset=utf-8"
SIGNATURE_PREFIX = "sha256="


class AnsweredAfterResponse(HttpResponse):
    """200 "ok", and once the server has written it (WSGI servers call close() after the body),
    the stored messages are answered and their replies queued and sent."""

    def __init__(self, *, message_ids: list[int], now: datetime):
        super().__init__("ok", content_type=PLAIN)
        self._message_ids = message_ids
        self._now = now

    def close(self) -> None:
        try:
            if self._message_ids:
                messages_answer(message_ids=self._message_ids, now=self._now)
        finally:
            self._message_ids = []
            super().close()


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _handshake(request)
    if not signature_valid(body=request.body, header=request.headers.get("X-Hub-Signature-256", "")):
        return HttpResponse("invalid signature", status=401, content_type=PLAIN)
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):  # signed, so Meta's (or the secret leaked); never retried into shape
        return HttpResponse("body is not JSON", status=400, content_type=PLAIN)
    now = timezone.now()
    hook = webhook_parse(data, phone_number_id=settings.SALDO_WHATSAPP["PHONE_NUMBER_ID"])
    return AnsweredAfterResponse(message_ids=webhook_receive(hook=hook, now=now), now=now)


def _handshake(request: HttpRequest) -> HttpResponse:
    expected = settings.SALDO_WHATSAPP["VERIFY_TOKEN"]
    token = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    token_ok = bool(expected) and hmac.compare_digest(token.encode(), expected.encode())
    if request.GET.get("hub.mode") != "subscribe" or not token_ok or not challenge:
        return HttpResponse("forbidden", status=403, content_type=PLAIN)
    return HttpResponse(challenge, content_type=PLAIN)


def signature_valid(*, body: bytes, header: str) -> bool:
    """`header` is "sha256=" + the hex HMAC-SHA256 of the raw `body` with the app secret,
    compared in constant time. An empty APP_SECRET accepts nothing."""
    secret = settings.SALDO_WHATSAPP["APP_SECRET"]
    if not secret or not header.startswith(SIGNATURE_PREFIX):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode()
    given = header[len(SIGNATURE_PREFIX) :].strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(expected, given)
