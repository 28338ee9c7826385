"""Reads for the WhatsApp channel: the 24-hour customer-service window."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max

from saldo.channels.commands.handlers import sender_canonical
from saldo.channels.models import Channel, InboundMessage


def last_message_at(*, to: str) -> datetime | None:
    """When the member behind `to` last wrote to us on WhatsApp (the (channel, sender,
    received_at) index answers it)."""
    sender = sender_canonical(to)
    found = InboundMessage.objects.filter(channel=Channel.WHATSAPP, sender=sender).aggregate(last=Max("received_at"))
    return found["last"]


def window_open(*, last_message: datetime | None, now: datetime) -> bool:
    """Free-form messages (text, lists, buttons) may go only within WINDOW_HOURS of the member's
    last message; outside it, only an approved template."""
    if last_message is None:
        return False
    return now - last_message < timedelta(hours=settings.SALDO_WHATSAPP["WINDOW_HOURS"])
