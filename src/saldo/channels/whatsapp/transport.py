"""Outbound WhatsApp through the Cloud API: POST {GRAPH_URL}/{version}/{phone-number-id}/messages
with the bearer token; the outbox (channels.outbox) calls `send` once per attempt.

A 429 or a 5xx is "try again later" (the outbox retries with backoff); any other 4xx means the
request as it stands will never be accepted, so it is not retried. Inside the 24-hour window the
message goes as it was queued (text, list, buttons, or a card's QR picture uploaded first to
/media); outside it, as the approved template carrying its text. The wamid Meta answers with
is kept, so status webhooks find the message.
"""

import base64
import http.client
import json
import logging
import secrets
import urllib.error
import urllib.request

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from saldo.cards.qr import qr_png_data_uri
from saldo.channels.models import OutboundMessage
from saldo.channels.outbox import SendResult
from saldo.channels.whatsapp.messages import graph_image, graph_interactive, graph_template, graph_text
from saldo.channels.whatsapp.models import GraphMessage
from saldo.channels.whatsapp.selectors import last_message_at, window_open

log = logging.getLogger(__name__)
SentAs = GraphMessage.SentAs
MAX_ANSWER = 64 * 1024
CARD_QR_SCALE = 8  # pixels per module: sharp on a phone, and on a screen held up to a scanner


class _Refused(Exception):
    """One Graph API call did not succeed; `result` says whether to try again."""

    def __init__(self, result: SendResult):
        super().__init__(result.error)
        self.result = result


def send(message: OutboundMessage) -> SendResult:
    """One attempt. Errors quote Meta's code and message, never the token or the number."""
    config = settings.SALDO_WHATSAPP
    if not config["ACCESS_TOKEN"] or not config["PHONE_NUMBER_ID"]:
        return SendResult(ok=False, retry=False, error="SALDO_WHATSAPP ACCESS_TOKEN and PHONE_NUMBER_ID are not set")
    graph = GraphMessage.objects.filter(message_id=message.id).first()
    free_form = not (graph and graph.template_only) and window_open(
        last_message=last_message_at(to=message.to), now=timezone.now()
    )
    sent_as, body = request_body(message, graph, free_form=free_form)
    try:
        if sent_as == SentAs.IMAGE:
            # A picture goes in two calls: upload it, then send the message naming the upload.
            media_id = _media_upload(card_png(graph.card_payload), filename="kartu-digital.png")
            body = graph_image(to=message.to, media_id=media_id, caption=message.text)
        answer = _call(messages_url(), json.dumps(body).encode(), "application/json")
    except _Refused as refused:
        return refused.result
    _sent(message, sent_as=sent_as, wamid=_wamid(answer))
    return SendResult(ok=True)


def messages_url() -> str:
    return _graph_url("messages")


def media_url() -> str:
    return _graph_url("media")


def _graph_url(edge: str) -> str:
    config = settings.SALDO_WHATSAPP
    return f"{config['GRAPH_URL'].rstrip('/')}/{config['GRAPH_VERSION']}/{config['PHONE_NUMBER_ID']}/{edge}"


def request_body(message: OutboundMessage, graph: GraphMessage | None, *, free_form: bool) -> tuple[str, dict | None]:
    """How the message goes out, and its JSON (for a card, made once its picture is uploaded)."""
    if not free_form:
        config = settings.SALDO_WHATSAPP
        body = graph_template(
            to=message.to, name=config["TEMPLATE_NAME"], language=config["TEMPLATE_LANGUAGE"], text=message.text
        )
        return SentAs.TEMPLATE, body
    if graph is not None and graph.card_payload:
        return SentAs.IMAGE, None
    if graph is not None and graph.interactive:
        return SentAs.INTERACTIVE, graph_interactive(to=message.to, interactive=graph.interactive)
    return SentAs.TEXT, graph_text(to=message.to, text=message.text)


def card_png(payload: str) -> bytes:
    """The card's QR code as PNG bytes: the same picture the app and the portal show."""
    data_uri = qr_png_data_uri(payload, scale=CARD_QR_SCALE)
    return base64.b64decode(data_uri.partition(",")[2])


def _media_upload(png: bytes, *, filename: str) -> str:
    """POST /media (multipart: messaging_product, type, file); Meta answers {"id": media id}."""
    boundary = secrets.token_hex(16)
    fields = [("messaging_product", "whatsapp"), ("type", "image/png")]
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: image/png\r\n\r\n".encode()
        + png
        + f"\r\n--{boundary}--\r\n".encode()
    )
    answer = _call(media_url(), b"".join(parts), f"multipart/form-data; boundary={boundary}")
    try:
        media_id = json.loads(answer)["id"]
    except (ValueError, KeyError, TypeError):
        media_id = None
    if not isinstance(media_id, str) or not media_id:
        raise _Refused(SendResult(ok=False, retry=True, error="Graph media upload: no media id in the answer"))
    return media_id


def _call(url: str, data: bytes, content_type: str) -> bytes:
    """One POST with the bearer token; a failure raises _Refused (429/5xx/unreachable: retry)."""
    headers = {"Authorization": f"Bearer {settings.SALDO_WHATSAPP['ACCESS_TOKEN']}", "Content-Type": content_type}
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=settings.SALDO_WHATSAPP["SEND_TIMEOUT"]) as response:
            return response.read(MAX_ANSWER)
    except urllib.error.HTTPError as exc:
        retry = exc.code == 429 or exc.code >= 500
        error = f"Graph HTTP {exc.code}: {_graph_error(exc.read(MAX_ANSWER))}"
        raise _Refused(SendResult(ok=False, retry=retry, error=error)) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise _Refused(SendResult(ok=False, retry=True, error=f"Graph API unreachable: {reason}")) from None


def _sent(message: OutboundMessage, *, sent_as: str, wamid: str | None) -> None:
    if wamid is None:
        log.warning("outbound %s: Graph API accepted it but named no message id", message.id)
    try:
        with transaction.atomic():
            GraphMessage.objects.update_or_create(message_id=message.id, defaults={"sent_as": sent_as, "wamid": wamid})
    except IntegrityError:  # a wamid we already hold for another message: keep the first
        log.warning("outbound %s: wamid already recorded for another message", message.id)
        GraphMessage.objects.update_or_create(message_id=message.id, defaults={"sent_as": sent_as})
    OutboundMessage.objects.filter(id=message.id).update(external_id=wamid or "")


def _wamid(answer: bytes) -> str | None:
    """messages[0].id of {"messaging_product", "contacts": [...], "messages": [{"id": "wamid…"}]}."""
    try:
        wamid = json.loads(answer)["messages"][0]["id"]
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return wamid if isinstance(wamid, str) and 0 < len(wamid) <= 100 else None


def _graph_error(answer: bytes) -> str:
    """`code message` from Graph's {"error": {"message", "type", "code", "error_data": {"details"}}}."""
    try:
        error = json.loads(answer)["error"]
        text = f"{error.get('code')} {error.get('message', '')}"
        details = (error.get("error_data") or {}).get("details")
    except (ValueError, KeyError, TypeError, AttributeError):
        return answer[:200].decode("utf-8", "replace")
    return f"{text}: {details}"[:250] if details else text[:250]
