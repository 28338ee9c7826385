"""The outbox: SMS and WhatsApp messages we send (OTPs, alerts), queued in the caller's transaction
and sent after it commits, so a rolled-back registration never texts anyone.

A crash between the commit and the send leaves the row `queued`; `saldo send-pending` sends it.
Sending is at-least-once: a gateway that accepted a message but whose answer was lost gets it
again on the next attempt. Status changes follow the machine in channels/models.py and are made
by conditional UPDATEs, so a late or out-of-order report never undoes a later state.
"""

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from saldo.channels.models import Channel, OutboundMessage
from saldo.core.errors import NotFound

log = logging.getLogger(__name__)
Status = OutboundMessage.Status

# One sending function per channel, imported when first used: transports import this module.
TRANSPORTS = {
    Channel.SMS: "saldo.channels.kannel.transport.send",
    Channel.WHATSAPP: "saldo.channels.whatsapp.transport.send",
}

# Which states a delivery report may move a message out of. Delivered is final. A report of
# delivery also rescues a message we gave up on (its send timed out after the gateway took it):
# the handset has it, and saying "failed" would invite a second OTP.
REPORT_MOVES_FROM: dict[str, tuple[str, ...]] = {
    Status.SENT: (Status.QUEUED,),
    Status.DELIVERED: (Status.QUEUED, Status.SENT, Status.FAILED),
    Status.FAILED: (Status.QUEUED, Status.SENT),
}


@dataclass(frozen=True)
class SendResult:
    """What one attempt at handing a message to the gateway came to."""

    ok: bool
    retry: bool = False  # a transient failure (connection, timeout, 5xx): worth another attempt
    error: str = ""


Send = Callable[[OutboundMessage], SendResult]


def outbound_queue(*, channel: str, to: str, text: str, now: datetime) -> OutboundMessage:
    """Write a queued message; it is sent after the caller's transaction commits.

    The send runs in the committing thread, so a gateway that is down holds that request for up
    to SEND_ATTEMPTS × SEND_TIMEOUT plus the backoff before the message is marked failed."""
    message = OutboundMessage.objects.create(
        channel=channel, to=to, text=text, status=Status.QUEUED, created_at=now, updated_at=now
    )
    # robust: a failing send must not turn the caller's committed work into an error page.
    transaction.on_commit(partial(_send_after_commit, message.id), robust=True)
    return message


def _send_after_commit(message_id: int) -> None:
    outbound_send(message_id=message_id)


def outbound_send(*, message_id: int) -> OutboundMessage:
    """Hand one queued message to its gateway, retrying transient failures with exponential backoff."""
    config = settings.SALDO_KANNEL
    message = OutboundMessage.objects.get(id=message_id)
    if message.channel not in TRANSPORTS:
        # Queued for a channel whose transport is not built yet: it waits, untouched.
        log.warning("outbound %s: no transport for channel %s; left queued", message.id, message.channel)
        return message
    if message.status == Status.QUEUED and message.attempts >= config["SEND_ATTEMPTS"]:
        # Attempts used up earlier (a crash during the last one): nothing left to try.
        _move(message, to=Status.FAILED, error=message.last_error or "attempts exhausted")
    send = _transport(message.channel)
    while message.status == Status.QUEUED and _attempt_claim(message):
        if not _attempt(message, send, attempts=config["SEND_ATTEMPTS"]):
            break
        time.sleep(config["SEND_BACKOFF"] * 2 ** (message.attempts - 1))
    message.refresh_from_db()
    return message


def _attempt(message: OutboundMessage, send: Send, *, attempts: int) -> bool:
    """One claimed attempt; True when it failed in a way worth retrying."""
    result = send(message)
    if result.ok:
        _move(message, to=Status.SENT, error="")
        log.info("outbound %s: handed to the %s gateway (attempt %d)", message.id, message.channel, message.attempts)
        return False
    log.warning("outbound %s: attempt %d failed: %s", message.id, message.attempts, result.error)
    if not result.retry or message.attempts >= attempts:
        _move(message, to=Status.FAILED, error=result.error)
        return False
    _record_error(message, result.error)
    return True


def _transport(channel: str) -> Send:
    # settings.SALDO_TRANSPORTS may replace one (the demo writes SMS to a file instead of Kannel).
    return import_string(getattr(settings, "SALDO_TRANSPORTS", {}).get(channel) or TRANSPORTS[channel])


def _attempt_claim(message: OutboundMessage) -> bool:
    """Count the next attempt, only if nobody else counted it first (the attempt number is the lock)."""
    claimed = OutboundMessage.objects.filter(id=message.id, status=Status.QUEUED, attempts=message.attempts).update(
        attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if claimed:
        message.attempts += 1
    return bool(claimed)


def _move(message: OutboundMessage, *, to: str, error: str) -> None:
    """queued → sent or failed; a report that already moved the message further wins."""
    moved = OutboundMessage.objects.filter(id=message.id, status=Status.QUEUED).update(
        status=to, last_error=error[:300], updated_at=timezone.now()
    )
    if moved:
        message.status = to


def _record_error(message: OutboundMessage, error: str) -> None:
    OutboundMessage.objects.filter(id=message.id).update(last_error=error[:300], updated_at=timezone.now())


def outbound_report(*, message_id: int, status: str, at: datetime) -> OutboundMessage:
    """Apply a gateway's delivery report; one that would move a message backwards is ignored."""
    moved = OutboundMessage.objects.filter(id=message_id, status__in=REPORT_MOVES_FROM[status]).update(
        status=status, updated_at=at
    )
    try:
        message = OutboundMessage.objects.get(id=message_id)
    except OutboundMessage.DoesNotExist:
        raise NotFound(f"outbound message {message_id} not found") from None
    if not moved and message.status != status:
        log.info("outbound %s: %s report ignored; already %s", message_id, status, message.status)
    return message


def outbound_send_pending(*, now: datetime, older_than: timedelta, limit: int = 1000) -> Counter:
    """Send queued messages older than `older_than` (younger ones are still being sent after their commit).

    Returns how many ended in each status.
    """
    ids = list(
        OutboundMessage.objects.filter(
            status=Status.QUEUED, channel__in=list(TRANSPORTS), created_at__lte=now - older_than
        )
        .order_by("created_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    return Counter(outbound_send(message_id=message_id).status for message_id in ids)
