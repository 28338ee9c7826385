"""The WhatsApp channel's writes: store what a webhook brings, answer each message once, record
the statuses of what we sent.

Every message is stored (committed on its own) before anything answers it, unique on
(channel, wamid): Meta delivers at least once and retries for days, and a retry finds the stored
row and is not answered again. Answering runs in one transaction that locks the message, works
out the replies, queues them in the outbox and stores the answer; the outbox sends after commit.
A message whose answer never committed (a crash, an error) is answered by Meta's retry or by
`saldo whatsapp-pending`.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from saldo.channels.commands.handlers import sender_canonical
from saldo.channels.models import Channel, InboundMessage, OutboundMessage
from saldo.channels.outbox import outbound_report
from saldo.channels.whatsapp.conversation import respond
from saldo.channels.whatsapp.messages import WaReply
from saldo.channels.whatsapp.models import Conversation, GraphMessage, InboundDetail
from saldo.channels.whatsapp.outbound import whatsapp_queue
from saldo.channels.whatsapp.payloads import SILENT, Incoming, StatusUpdate, Webhook

log = logging.getLogger(__name__)
Status = OutboundMessage.Status

# Meta's statuses and ours: "read" implies delivered (Meta may skip "delivered" then).
STATUSES = {"sent": Status.SENT, "delivered": Status.DELIVERED, "read": Status.DELIVERED, "failed": Status.FAILED}
# Meta refused a free-form message: the member's 24-hour window had closed.
OUTSIDE_WINDOW = 131047


def webhook_receive(*, hook: Webhook, now: datetime) -> list[int]:
    """Record the statuses and store the messages of one webhook; returns the ids of the stored
    messages still to be answered (new ones, and retries of ones never answered)."""
    for update in hook.statuses:
        status_record(update=update, now=now)
    pending = []
    for incoming in hook.messages:
        if incoming.kind in SILENT:
            continue
        message_id = incoming_store(incoming=incoming, now=now)
        if message_id is not None:
            pending.append(message_id)
    return pending


def incoming_store(*, incoming: Incoming, now: datetime) -> int | None:
    """Store one message; its id if it still needs an answer, None if it was answered before."""
    # The phone's time of sending starts the 24-hour window, unless it claims to be in the future.
    received_at = incoming.sent_at if incoming.sent_at is not None and incoming.sent_at <= now else now
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                channel=Channel.WHATSAPP,
                sender=sender_canonical(incoming.sender),
                text=incoming.text,
                external_id=incoming.wamid,
                received_at=received_at,
            )
            InboundDetail.objects.create(message=message, kind=incoming.kind, choice=incoming.choice)
    except IntegrityError:
        stored = InboundMessage.objects.filter(channel=Channel.WHATSAPP, external_id=incoming.wamid).first()
        if stored is None or stored.reply is not None:
            return None
        log.info("inbound whatsapp %s: delivered again before it was answered", stored.id)
        return stored.id
    return message.id


class _AnsweredMeanwhile(Exception):
    """Another worker answered the same message first; ours rolls back, replies and all."""


def message_answer(*, message_id: int, now: datetime) -> bool:
    """Answer one stored message and queue its replies; False if it was answered already."""
    try:
        with transaction.atomic():
            message = InboundMessage.objects.select_for_update().get(id=message_id)
            if message.reply is not None:
                return False
            detail = InboundDetail.objects.filter(message_id=message_id).first()
            replies = respond(
                sender=message.sender,
                kind=detail.kind if detail else "text",
                text=message.text,
                choice=detail.choice if detail else None,
                now=now,
            )
            for reply in replies:
                whatsapp_queue(to=message.sender, reply=reply, now=now)
            # The lock above serialises PostgreSQL; this condition also covers SQLite, which has none.
            answered = InboundMessage.objects.filter(id=message_id, reply__isnull=True).update(
                reply=_stored_reply(replies), processed_at=now
            )
            if not answered:
                raise _AnsweredMeanwhile
    except _AnsweredMeanwhile:
        return False
    log.info("inbound whatsapp %s answered with %d message(s)", message_id, len(replies))
    return True


def messages_answer(*, message_ids: list[int], now: datetime) -> int:
    """Answer each message on its own: one that fails is logged and left for a retry, the rest go on."""
    answered = 0
    # The service's language, not the one negotiated with Meta's servers for the webhook request.
    with translation.override(settings.LANGUAGE_CODE):
        for message_id in message_ids:
            try:
                answered += message_answer(message_id=message_id, now=now)
            except Exception:  # noqa: BLE001 - stored and unanswered: Meta's retry or whatsapp-pending answers it
                log.exception("inbound whatsapp %s: answering failed; left for a retry", message_id)
    return answered


def pending_answer(*, now: datetime, older_than: timedelta, limit: int = 1000) -> int:
    """Answer stored WhatsApp messages that a crash left without an answer; returns how many."""
    ids = list(
        InboundMessage.objects.filter(channel=Channel.WHATSAPP, reply__isnull=True, received_at__lte=now - older_than)
        .order_by("received_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    return messages_answer(message_ids=ids, now=now)


def conversations_expire(*, now: datetime, idle: timedelta) -> int:
    """Delete registrations abandoned longer than `idle`, and the NIKs typed into them."""
    deleted, _ = Conversation.objects.filter(updated_at__lt=now - idle).delete()
    return deleted


def status_record(*, update: StatusUpdate, now: datetime) -> None:
    """Apply one status webhook to the outbox. Unknown wamids (messages sent by another system on
    the same number) and statuses we do not track are ignored."""
    status = STATUSES.get(update.status)
    if status is None:
        return
    with transaction.atomic():
        graph = GraphMessage.objects.select_for_update().filter(wamid=update.wamid).first()
        if graph is None:
            log.info("whatsapp status %s for a message we do not know", update.status)
            return
        was = OutboundMessage.objects.filter(id=graph.message_id).values_list("status", flat=True).get()
        message = outbound_report(message_id=graph.message_id, status=status, at=update.at or now)
        if status != Status.FAILED or was == Status.FAILED:
            return
        error = "; ".join(f"{code} {title}".strip() for code, title in update.errors) or "failed"
        OutboundMessage.objects.filter(id=message.id).update(last_error=error[:300])
        if (
            message.status == Status.FAILED
            and _outside_window(update)
            and graph.sent_as != GraphMessage.SentAs.TEMPLATE
        ):
            # Our clock said the window was open, Meta's did not: send the text again as the template.
            whatsapp_queue(to=message.to, reply=WaReply(message.text), now=now, template_only=True)


def _outside_window(update: StatusUpdate) -> bool:
    return any(code == OUTSIDE_WINDOW for code, _ in update.errors)


def _stored_reply(replies: list[WaReply]) -> str:
    # The texts, for operators and for dedupe ("" is a deliberate silence, still an answer).
    return "\n\n".join(reply.text for reply in replies)
