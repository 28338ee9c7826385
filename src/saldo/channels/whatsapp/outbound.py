"""Queueing WhatsApp messages in the shared outbox (channels.outbox), interactive ones and cards
included."""

from datetime import datetime

from django.db import transaction

from saldo.channels.models import Channel, OutboundMessage
from saldo.channels.outbox import outbound_queue
from saldo.channels.whatsapp.messages import WaReply
from saldo.channels.whatsapp.models import GraphMessage


def whatsapp_queue(*, to: str, reply: WaReply, now: datetime, template_only: bool = False) -> OutboundMessage:
    """Queue `reply` for `to` (+62… or a foreign wa_id); it is sent after the caller's transaction
    commits, or by `saldo send-pending` after a crash."""
    # Atomic even when the caller is not: the outbox sends on commit, and the send must find the
    # interactive part already stored.
    with transaction.atomic():
        message = outbound_queue(channel=Channel.WHATSAPP, to=to, text=reply.text, now=now)
        if reply.interactive is not None or reply.card_payload or template_only:
            GraphMessage.objects.create(
                message=message,
                interactive=reply.interactive,
                card_payload=reply.card_payload or "",
                template_only=template_only,
            )
    return message
