"""The one way a text message comes in, whatever the transport (Kannel, WhatsApp, the CLI).

A message is answered and then stored together with its reply, and with the audit rows of what
the reply discloses, in one transaction: one commit per message (on PostgreSQL one statement
stores the message, its reply and its audit rows). The message is unique on (channel,
external_id) and the statement stores a reply only where none is stored yet, so:

- A gateway's retry of an answered message gets the stored reply; the answer it computed and
  everything that answer wrote (an audit row, a registration) roll back. A copy that arrives
  while the first is still being answered waits for the first's commit at that statement, then
  finds it answered: a message is never answered twice.
- An error while answering (a bug, a statement the database refuses) rolls the answer back and
  stores the message alone, unanswered, before the error goes up: a retry or pending_process
  answers it later.
- The process dying before the commit stores nothing and sends nothing: the gateway got no
  reply, so it sends the message again with the same id (Kannel: smsbox's http-request-retry,
  deploy/kannel/kannel.conf; WhatsApp: webhook retries), and the message is answered then.
  Dying after the commit, before the reply leaves: the retry gets the stored reply.

What storing the message first, in a commit of its own, added to that: a copy of the message
on the server when the process died mid-answer and the gateway never retried. Kannel retries
every failed request, and it loses the message anyway when smsbox itself dies (it acks the SMSC
first, shared/channels.md), so the second commit on every message bought nothing a member sees.
"""

import hashlib
import logging
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime

from django.db import DatabaseError, connection, transaction

from saldo.audit.services import DISCLOSURE_INSERT_SQL, disclosure_record
from saldo.channels.commands.handlers import Answer, Question, answer_to, question_parse, sender_canonical
from saldo.channels.models import Channel, InboundMessage
from saldo.core.prepared import fetch_prepared

logger = logging.getLogger(__name__)

EXTERNAL_ID_MAX = 100  # InboundMessage.external_id


def inbound_receive(*, channel: str, sender: str, text: str, external_id: str, received_at: datetime) -> InboundMessage:
    """Answer, store and return one inbound message; `message.reply` is the text to send back.

    `sender` is the gateway's raw number (081…, 6281…, +6281…); `received_at` is the transport's
    read of the clock and is the `now` of everything the answer does. Call it outside any
    transaction: the reply may be sent once this returns, and it must not outlive a rollback."""
    message = InboundMessage(
        channel=channel,
        sender=sender_canonical(sender),
        text=_storable(text),
        external_id=_external_id(external_id),
        received_at=received_at,
    )
    return _answer(message, now=received_at)[0]


def pending_process(*, now: datetime) -> int:
    """Answer the stored SMS that have no reply (an error came while answering them); returns how
    many this call answered. The replies are stored, not sent. WhatsApp messages are left to
    `saldo whatsapp-pending`, which also sends their answers."""
    pending = (
        InboundMessage.objects.filter(channel=Channel.SMS, reply__isnull=True, received_at__lte=now)
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)
    )
    return sum(_process(pk, now=now)[1] for pk in list(pending))


class _AnsweredBefore(Exception):
    """The message is stored with a reply already (a retry, or a copy answered meanwhile)."""


def _process(pk: int, *, now: datetime) -> tuple[InboundMessage, bool]:
    message = InboundMessage.objects.get(pk=pk)
    if message.reply is not None:
        return message, False
    return _answer(message, now=now)


def _answer(message: InboundMessage, *, now: datetime) -> tuple[InboundMessage, bool]:
    """Answer `message` and store it with its reply: (the stored message, whether this call answered it)."""
    try:
        question = question_parse(channel=message.channel, sender=message.sender, text=message.text, now=now)
        with _transaction_for(question):
            answer = answer_to(question=question, external_id=message.external_id)
            pk = _store_answered(message, answer, now=now)
            if pk is None:
                raise _AnsweredBefore  # rolls back what this answer wrote
    except _AnsweredBefore:
        return InboundMessage.objects.get(channel=message.channel, external_id=message.external_id), False
    except Exception:
        _keep_unanswered(message)
        raise
    message.pk, message.reply, message.processed_at = pk, answer.reply.text, now
    # DEBUG, not INFO: the stored message is the record of every SMS; a log line each would only
    # repeat it, millions of times a day.
    logger.debug(
        "inbound %s %s from %s answered: %s", message.channel, message.pk, _masked(message.sender), answer.reply.code
    )
    return message, True


def _transaction_for(question: Question) -> AbstractContextManager:
    """Where answering writes nothing but the reply and its audit rows, on PostgreSQL, the one
    statement that stores them is the transaction: no BEGIN and COMMIT round trips around the
    reads. A registration writes more, and SQLite needs two statements: a transaction of their own."""
    if question.writes or connection.vendor != "postgresql":
        return transaction.atomic()
    return nullcontext()


# The message with its reply; a stored message gets the reply only if it has none. Returns the
# id when this statement answered it, nothing when it was answered before.
_ANSWERED_UPSERT = """
INSERT INTO channels_inboundmessage (channel, sender, text, external_id, received_at, reply, processed_at)
VALUES (%s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (channel, external_id) DO UPDATE SET reply = excluded.reply, processed_at = excluded.processed_at
WHERE channels_inboundmessage.reply IS NULL
RETURNING id"""
_UNANSWERED_INSERT = """
INSERT INTO channels_inboundmessage (channel, sender, text, external_id, received_at)
VALUES (%s, %s, %s, %s, %s)
ON CONFLICT (channel, external_id) DO NOTHING"""


def _answered_upsert_audited(disclosures: int) -> str:
    """_ANSWERED_UPSERT and, only if it answered, the audit rows, in one statement (PostgreSQL)."""
    values = ", ".join(["(%s, %s)"] * disclosures)
    return f"""
WITH answered AS ({_ANSWERED_UPSERT}),
audited AS ({DISCLOSURE_INSERT_SQL}
            SELECT %s, %s, disclosed.kpj, disclosed.what, %s FROM answered, (VALUES {values}) disclosed (kpj, what))
SELECT id FROM answered"""


def _store_answered(message: InboundMessage, answer: Answer, *, now: datetime) -> int | None:
    """Store `message` with `answer`'s reply and audit rows; its id, or None if it had a reply already."""
    at = _db_datetime(now)
    params = [message.channel, message.sender, message.text, message.external_id, _db_datetime(message.received_at)]
    params += [answer.reply.text, at]
    if answer.disclosures and connection.vendor == "postgresql":
        params += [message.channel, message.sender, at]
        params += [value for d in answer.disclosures for value in (d.kpj, d.what)]
        rows = fetch_prepared(_answered_upsert_audited(len(answer.disclosures)), params)
        return rows[0][0] if rows else None
    rows = fetch_prepared(_ANSWERED_UPSERT, params)
    if not rows:
        return None
    for d in answer.disclosures:  # same transaction, so only if the reply is stored
        disclosure_record(channel=message.channel, recipient=message.sender, kpj=d.kpj, what=d.what, at=now)
    return rows[0][0]


def _keep_unanswered(message: InboundMessage) -> None:
    """After an error while answering: store the message without a reply (unless it is stored),
    so that nothing is lost. The error itself goes up to the caller either way."""
    params = [message.channel, message.sender, message.text, message.external_id, _db_datetime(message.received_at)]
    try:
        fetch_prepared(_UNANSWERED_INSERT, params)
    except DatabaseError:
        logger.exception("inbound %s from %s could not be kept unanswered", message.channel, _masked(message.sender))


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
