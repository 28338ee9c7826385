"""The one way a text message comes in, whatever the transport (Kannel, WhatsApp, the CLI).

The message is stored first and on its own, so a crash while answering loses nothing; it is
then answered and the reply stored with it. A gateway's retry (same channel and external id)
gets the stored reply and nothing runs twice: no second binding, no second audit row.
"""

import hashlib
import logging
from datetime import datetime

from django.db import connection, transaction

from saldo.channels.commands.handlers import reply_to, sender_canonical
from saldo.channels.models import InboundMessage
from saldo.core.bulk import fetch_all

logger = logging.getLogger(__name__)

EXTERNAL_ID_MAX = 100  # InboundMessage.external_id


def inbound_receive(*, channel: str, sender: str, text: str, external_id: str, received_at: datetime) -> InboundMessage:
    """Store, answer and return one inbound message; `message.reply` is the text to send back.

    `sender` is the gateway's raw number (081…, 6281…, +6281…); `received_at` is the transport's
    read of the clock and is the `now` of everything the answer does. Call it outside any
    transaction: the message must be committed before it is processed."""
    external_id = _external_id(external_id)
    # One statement, committed on its own: stored before anything else runs.
    inserted = fetch_all(
        """INSERT INTO channels_inboundmessage (channel, sender, text, external_id, received_at)
           VALUES (%s, %s, %s, %s, %s)
           ON CONFLICT (channel, external_id) DO NOTHING RETURNING id""",
        [channel, sender_canonical(sender), _storable(text), external_id, _db_datetime(received_at)],
    )
    if inserted:
        message = InboundMessage(
            pk=inserted[0][0],
            channel=channel,
            sender=sender_canonical(sender),
            text=_storable(text),
            external_id=external_id,
            received_at=received_at,
        )
    else:
        message = InboundMessage.objects.get(channel=channel, external_id=external_id)
        if message.reply is not None:
            return message
    return _answer(message, now=received_at)[0]


def pending_process(*, now: datetime) -> int:
    """Answer the stored messages that have no reply (a crash came between storing and
    answering); returns how many this call answered. The replies are stored, not sent."""
    pending = (
        InboundMessage.objects.filter(reply__isnull=True, received_at__lte=now)
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)
    )
    return sum(_process(pk, now=now)[1] for pk in list(pending))


class _AnsweredMeanwhile(Exception):
    """Another worker answered the same message first; ours is rolled back."""


def _process(pk: int, *, now: datetime) -> tuple[InboundMessage, bool]:
    message = InboundMessage.objects.get(pk=pk)
    if message.reply is not None:
        return message, False
    return _answer(message, now=now)


def _answer(message: InboundMessage, *, now: datetime) -> tuple[InboundMessage, bool]:
    pk = message.pk
    try:
        with transaction.atomic():
            reply = reply_to(channel=message.channel, sender=message.sender, text=message.text, now=now)
            # Only the first answer is kept: a concurrent retry of the same message finds the
            # row answered, and its whole transaction (its audit row included) rolls back.
            answered = InboundMessage.objects.filter(pk=pk, reply__isnull=True).update(
                reply=reply.text, processed_at=now
            )
            if not answered:
                raise _AnsweredMeanwhile
    except _AnsweredMeanwhile:
        return InboundMessage.objects.get(pk=pk), False
    message.reply, message.processed_at = reply.text, now
    logger.info("inbound %s %s from %s answered: %s", message.channel, message.pk, _masked(message.sender), reply.code)
    return message, True


def _db_datetime(value: datetime) -> object:
    # Raw SQL gets the value the ORM would store (SQLite: naive UTC text), so comparisons agree.
    return connection.ops.adapt_datetimefield_value(value)


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
