"""Webhook bodies as the Cloud API sends them (shared/channels.md §2), and Meta's signature."""

import hashlib
import hmac
import itertools
import json
import time

WABA_ID = "102290129340398"
PHONE_NUMBER_ID = "106540352242922"
DISPLAY_NUMBER = "6221500910"
APP_SECRET = "app-secret-for-tests"
VERIFY_TOKEN = "verify-token-for-tests"
ACCESS_TOKEN = "EAAG-access-token-for-tests"

_ids = itertools.count(1)


def new_wamid() -> str:
    return f"wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA{next(_ids):08d}"


def envelope(*, messages: list[dict] | None = None, statuses: list[dict] | None = None, wa_id: str = "") -> dict:
    value: dict = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": PHONE_NUMBER_ID},
    }
    if messages is not None:
        value["contacts"] = [{"profile": {"name": "Neng"}, "wa_id": wa_id or messages[0]["from"]}]
        value["messages"] = messages
    if statuses is not None:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}],
    }


def text_message(body: str, *, sender: str, wamid: str | None = None, at: int | None = None) -> dict:
    return {
        "from": sender,
        "id": wamid or new_wamid(),
        "timestamp": str(at or int(time.time())),
        "type": "text",
        "text": {"body": body},
    }


def button_reply(choice: str, title: str, *, sender: str, wamid: str | None = None, at: int | None = None) -> dict:
    return {
        "context": {"from": DISPLAY_NUMBER, "id": "wamid.previous"},
        "from": sender,
        "id": wamid or new_wamid(),
        "timestamp": str(at or int(time.time())),
        "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": choice, "title": title}},
    }


def list_reply(choice: str, title: str, *, sender: str, wamid: str | None = None, at: int | None = None) -> dict:
    return {
        "context": {"from": DISPLAY_NUMBER, "id": "wamid.previous"},
        "from": sender,
        "id": wamid or new_wamid(),
        "timestamp": str(at or int(time.time())),
        "type": "interactive",
        "interactive": {"type": "list_reply", "list_reply": {"id": choice, "title": title, "description": ""}},
    }


def status(wamid: str, state: str, *, recipient: str, errors: list[dict] | None = None) -> dict:
    update = {"id": wamid, "status": state, "timestamp": str(int(time.time())), "recipient_id": recipient}
    if state in ("sent", "delivered"):
        update["conversation"] = {"id": "a75d17ad06104c51166f948319b03c6a", "origin": {"type": "service"}}
        update["pricing"] = {"billable": False, "pricing_model": "PMP", "category": "service"}
    if errors is not None:
        update["errors"] = errors
    return update


def body_of(payload: dict | bytes) -> bytes:
    return payload if isinstance(payload, bytes) else json.dumps(payload).encode()


def signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
