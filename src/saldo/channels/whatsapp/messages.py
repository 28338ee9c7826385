"""The messages the bot sends, and their JSON for the Graph API's POST /{phone-number-id}/messages.

A reply is its text plus, optionally, an interactive part (a list or up to three buttons) or a
digital card (a picture of its QR code, the text as caption). The text alone is what goes out
where neither can: as the parameter of a template outside the 24-hour window.

Limits (Meta's): interactive body and caption 1024 characters, button title 20, list button label
20, row title 24, row description 72, section title 24, 10 rows in all.
"""

import re
from dataclasses import dataclass

MAX_TEXT = 4096
MAX_BODY = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_SECTION_TITLE = 24
MAX_ID = 200  # a list row id; button ids may be 256
MAX_TEMPLATE_PARAMETER = 1024
MAX_CAPTION = 1024


@dataclass(frozen=True)
class Option:
    """One button or list row: `id` comes back in the webhook when it is tapped."""

    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class WaReply:
    text: str
    interactive: dict | None = None
    # A signed digital card: sent as the picture of its QR code, `text` as the caption.
    card_payload: str | None = None


def text_reply(text: str) -> WaReply:
    return WaReply(_cut(text, MAX_TEXT))


def buttons_reply(text: str, options: list[Option]) -> WaReply:
    body = _cut(text, MAX_BODY)
    buttons = [
        {"type": "reply", "reply": {"id": o.id[:MAX_ID], "title": _cut(o.title, MAX_BUTTON_TITLE)}}
        for o in options[:MAX_BUTTONS]
    ]
    return WaReply(body, {"type": "button", "body": {"text": body}, "action": {"buttons": buttons}})


def list_reply(text: str, *, button: str, section: str, options: list[Option]) -> WaReply:
    body = _cut(text, MAX_BODY)
    rows = []
    for o in options[:MAX_ROWS]:
        row = {"id": o.id[:MAX_ID], "title": _cut(o.title, MAX_ROW_TITLE)}
        if o.description:
            row["description"] = _cut(o.description, MAX_ROW_DESCRIPTION)
        rows.append(row)
    action = {
        "button": _cut(button, MAX_BUTTON_TITLE),
        "sections": [{"title": _cut(section, MAX_SECTION_TITLE), "rows": rows}],
    }
    return WaReply(body, {"type": "list", "body": {"text": body}, "action": action})


def card_reply(caption: str, *, payload: str) -> WaReply:
    return WaReply(_cut(caption, MAX_CAPTION), card_payload=payload)


def graph_text(*, to: str, text: str) -> dict:
    return {**_envelope(to), "type": "text", "text": {"preview_url": False, "body": _cut(text, MAX_TEXT)}}


def graph_interactive(*, to: str, interactive: dict) -> dict:
    return {**_envelope(to), "type": "interactive", "interactive": interactive}


def graph_image(*, to: str, media_id: str, caption: str) -> dict:
    return {**_envelope(to), "type": "image", "image": {"id": media_id, "caption": _cut(caption, MAX_CAPTION)}}


def graph_template(*, to: str, name: str, language: str, text: str) -> dict:
    """The approved template whose body has one parameter, {{1}}, carrying `text`."""
    parameter = {"type": "text", "text": template_parameter(text)}
    template = {
        "name": name,
        "language": {"code": language},
        "components": [{"type": "body", "parameters": [parameter]}],
    }
    return {**_envelope(to), "type": "template", "template": template}


def template_parameter(text: str) -> str:
    # A template parameter may hold no line break, tab or run of more than four spaces.
    flat = re.sub(r"\s*\n\s*", " | ", text.strip())
    return _cut(re.sub(r"\s+", " ", flat), MAX_TEMPLATE_PARAMETER)


def graph_recipient(to: str) -> str:
    """The Graph API's `to`: the number's digits with the country code (+6281… → 6281…)."""
    return to.lstrip("+")


def _envelope(to: str) -> dict:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": graph_recipient(to)}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
