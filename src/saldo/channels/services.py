"""The one way a text message comes in, whatever the transport (Kannel, WhatsApp, the CLI).

The message is stored first and on its own, so a crash while answering loses nothing; it is
then answered and the reply stored with it. A gateway's retry (same channel and external id)
gets the stored reply and nothing runs twice: no second binding, no second audit row.
"""

import hashlib
import logging
from datetime import datetime

from django.db import transaction

from saldo.channels.commands.handlers import reply_to, sender_canonical
from saldo.channels.models import InboundMessage

logger = logging.getLogger(__name__)

EXTERNAL_ID_MAX = 100  # InboundMessage.external_id


def inbound_receive(*, channel: str, sender: str, text: str, external_id: str, received_at: datetime) -> InboundMessage:
    """Store, answer and return one inbound message; `message.reply` is the text to send back.

    `sender` is the gateway's raw number (081…, 6281…, +6281…); `received_at` is the transport's
    read of the clock and is the `now` of everything the answer does. Call it outside any
    transaction: the message must be committed before it is processed."""
    message, _created = InboundMessage.objects.get_or_create(
        channel=channel,
        external_id=_external_id(external_id),
        defaults={"sender": sender_canonical(sender), "text": _storable(text), "received_at": received_at},
    )
    if message.reply is not None:
        return message
    return _process(message.pk, now=received_at)[0]


def pending_process(*, now: datetime) -> int:
    """Answer the stored messages that have no reply (a crash came between storing and
    answering); returns how many this call answered. The replies are stored, not sent."""
    pending = (
        InboundMessage.objects.filter(reply__isnull=True, received_at__lte=now)
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)
    )
    return sum(_process(pk, now=now)[1] for pk in list(pending))


def _process(pk: int, *, now: datetime) -> tuple[InboundMessage, bool]:
    with transaction.atomic():
        # The row lock makes a concurrent retry wait, then find the reply and return it.
        message = InboundMessage.objects.select_for_update().get(pk=pk)
        if message.reply is not None:
            return message, False
        reply = reply_to(channel=message.channel, sender=message.sender, text=message.text, now=now)
        message.reply = reply.text
        message.processed_at = now
        message.save(update_fields=["reply", "processed_at"])
    logger.info("inbound %s %s from %s answered: %s", message.channel, message.pk, _masked(message.sender), reply.code)
    return message, True


def _storable(text: str) -> str:
    # PostgreSQL text holds neither NUL nor lone surrogates; keep everything else as received.
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


def _external_id(external_id: str) -> str:
    # Kannel's %I is 36 characters and a wamid about 60; a longer id still dedupes by its hash.
    if len(external_id) <= EXTERNAL_ID_MAX:
        return external_id
    return "sha256:" + hashlib.sha256(external_id.encode("utf-8", "replace")).hexdigest()


def _masked(sender: str) -> str:
    """Enough of a number to tell messages apart in a log, never the whole number."""
    return sender[:4] + "*" * max(len(sender) - 6, 0) + sender[-2:] if len(sender) > 6 else "*" * len(sender)
