"""Reading the Cloud API's webhook JSON: members' messages and the statuses of ours.

    {"object": "whatsapp_business_account",
     "entry": [{"id": WABA, "changes": [{"field": "messages", "value": {
         "metadata": {"phone_number_id": ...},
         "messages": [{"from": "628…", "id": "wamid…", "timestamp": "1749416383", "type": "text",
                       "text": {"body": "saldo"}}],
         "statuses": [{"id": "wamid…", "status": "delivered", "timestamp": ..., "errors": [...]}]}}]}]}

A tap arrives as type "interactive" with a button_reply or list_reply {id, title}; a quick-reply
button of a template as type "button" {payload, text}. A batch may hold several entries, changes,
messages and statuses. Nothing here raises on what it reads: a part that is not the documented
shape is skipped, so one odd message never costs the rest of the batch.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

MAX_EXTERNAL_ID = 100  # InboundMessage.external_id
MAX_CHOICE = 256  # a reply button or list row id
MAX_TEXT = 4096  # WhatsApp's longest text message
_WA_ID = re.compile(r"^[0-9]{5,20}\Z")

# Types a member sends that we read as words; the rest (photos, voice notes…) get a hint.
READABLE = frozenset(["text", "interactive", "button"])
# Not something the member said to us: a reaction to one of our messages, a number change.
SILENT = frozenset(["reaction", "system", "ephemeral"])


@dataclass(frozen=True)
class Incoming:
    wamid: str  # already cut or hashed to fit InboundMessage.external_id
    sender: str  # wa_id: digits with the country code, no '+'
    sent_at: datetime | None  # the member's phone's time of sending, if given
    kind: str  # the message type: text, interactive, button, image, reaction…
    text: str  # what was typed, or the title of what was tapped
    choice: str | None = None  # the id of the tapped button or row


@dataclass(frozen=True)
class StatusUpdate:
    wamid: str
    status: str  # sent, delivered, read, failed (others are ignored later)
    at: datetime | None
    errors: tuple[tuple[int | None, str], ...] = ()  # (code, title)


@dataclass
class Webhook:
    messages: list[Incoming] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)


def webhook_parse(data: object, *, phone_number_id: str = "") -> Webhook:
    """Every message and status in one webhook body. With `phone_number_id` set, changes for
    another number of the same business account are left out."""
    hook = Webhook()
    if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
        return hook
    for entry in _dicts(data.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, dict):
                continue
            number = _dict(value.get("metadata")).get("phone_number_id")
            if phone_number_id and str(number) != phone_number_id:
                continue
            hook.messages += [m for m in map(_incoming, _dicts(value.get("messages"))) if m]
            hook.statuses += [s for s in map(_status, _dicts(value.get("statuses"))) if s]
    return hook


def _incoming(raw: dict) -> Incoming | None:
    wamid, sender, kind = _text(raw.get("id")), _text(raw.get("from")), _text(raw.get("type"))
    if not wamid or not _WA_ID.match(sender) or not kind:
        return None
    text, choice = "", None
    if kind == "text":
        text = _text(_dict(raw.get("text")).get("body"))
    elif kind == "interactive":
        interactive = _dict(raw.get("interactive"))
        reply = _dict(interactive.get(_text(interactive.get("type"))))  # button_reply / list_reply
        if interactive.get("type") in ("button_reply", "list_reply"):
            text, choice = _text(reply.get("title")), _text(reply.get("id"))[:MAX_CHOICE] or None
    elif kind == "button":
        text = _text(_dict(raw.get("button")).get("text"))
    return Incoming(
        wamid=external_id(wamid),
        sender=sender,
        sent_at=_time(raw.get("timestamp")),
        kind=kind[:20],
        text=text[:MAX_TEXT],
        choice=choice,
    )


def _status(raw: dict) -> StatusUpdate | None:
    wamid, status = _text(raw.get("id")), _text(raw.get("status"))
    if not wamid or not status:
        return None
    errors = tuple(
        (error.get("code") if isinstance(error.get("code"), int) else None, _text(error.get("title"))[:200])
        for error in _dicts(raw.get("errors"))
    )
    return StatusUpdate(
        wamid=wamid[:MAX_EXTERNAL_ID], status=status[:20], at=_time(raw.get("timestamp")), errors=errors
    )


def external_id(wamid: str) -> str:
    """A wamid as stored: about 60 characters; a longer one still dedupes by its hash."""
    if len(wamid) <= MAX_EXTERNAL_ID:
        return wamid
    return "sha256:" + hashlib.sha256(wamid.encode()).hexdigest()


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _dicts(value: object) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: object) -> str:
    """A JSON string as the database can store it (PostgreSQL text holds no NUL, no lone
    surrogate); anything that is not a string is no text."""
    if not isinstance(value, str):
        return ""
    return value.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd").strip()


def _time(value: object) -> datetime | None:
    """Unix seconds, as a string (documented) or a number."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
