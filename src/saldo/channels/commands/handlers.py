"""From one message to one reply: the abuse limits, the grammar, then one service or selector.

Every text transport (SMS through Kannel, WhatsApp, the `saldo sms` command) ends here through
`channels.services.inbound_receive`. Balances and status answer only to the number bound to the
KPJ, and each answer is written to the audit trail in the same transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from saldo.audit.services import disclosure_record
from saldo.channels.commands import replies
from saldo.channels.commands.grammar import Daftar, FormatError, Help, Saldo, Status, Unknown, parse
from saldo.channels.commands.replies import Reply
from saldo.contributions.selectors import membership_status
from saldo.core.bulk import fetch_all
from saldo.core.errors import ValidationError
from saldo.identity.selectors import phone_kpjs, phone_membership
from saldo.identity.services import RegistrationLocked, RegistrationRefused, phone_register
from saldo.registry.models import Membership
from saldo.registry.validators import normalize_phone
from saldo.statements.selectors import balance_summary_get

SENDER_MAX = 20  # InboundMessage.sender


class Disclosed:
    """What an answer disclosed, as written to the audit trail."""

    BALANCE = "balance"
    STATUS = "status"


@dataclass(frozen=True)
class Context:
    channel: str
    sender: str  # canonical: +62… for an Indonesian mobile, else the raw sender, cut
    phone: str | None  # the Indonesian mobile number, None if the sender is not one
    now: datetime
    as_of: date


def sender_canonical(raw: str) -> str:
    """How a sender is stored and counted: +62… when it is an Indonesian mobile number."""
    phone = normalize_phone(raw)
    if phone is not None:
        return phone
    return raw.strip().replace("\x00", "")[:SENDER_MAX]


def reply_to(*, channel: str, sender: str, text: str, now: datetime) -> Reply:
    """The answer to `text` from `sender`. `now` is the caller's one read of the clock.

    The rate limit counts the stored InboundMessages of this sender, so a message that came in
    through inbound_receive counts itself."""
    canonical = sender_canonical(sender)
    ctx = Context(channel, canonical, normalize_phone(sender), now, timezone.localdate(now))
    if _rate_limited(ctx):
        return replies.rate_limited()
    command = parse(text, today=ctx.as_of)
    return _HANDLERS[type(command)](command, ctx)


def _rate_limited(ctx: Context) -> bool:
    limits = settings.SALDO_CHANNELS
    most = limits["RATE_LIMIT_MESSAGES"]
    since = ctx.now - timedelta(minutes=limits["RATE_LIMIT_WINDOW_MINUTES"])
    # Counting stops one past the limit: the (channel, sender, received_at) index answers it
    # without reading a flood of rows. Raw SQL: this runs for every message.
    rows = fetch_all(
        """SELECT COUNT(*) FROM (SELECT 1 FROM channels_inboundmessage
             WHERE channel = %s AND sender = %s AND received_at > %s AND received_at <= %s LIMIT %s) recent""",
        [
            ctx.channel,
            ctx.sender,
            connection.ops.adapt_datetimefield_value(since),
            connection.ops.adapt_datetimefield_value(ctx.now),
            most + 1,
        ],
    )
    return rows[0][0] > most


def _daftar(command: Daftar, ctx: Context) -> Reply:
    if ctx.phone is None:
        return replies.not_mobile()
    try:
        phone_register(
            phone=ctx.phone,
            channel=ctx.channel,
            nik=command.nik,
            birth_date=command.birth_date,
            kpj=command.kpj,
            name=command.name,
            email=command.email,
            now=ctx.now,
        )
    except RegistrationLocked as exc:
        return replies.registration_locked(until=exc.until)
    except RegistrationRefused:
        return replies.registration_refused()
    except ValidationError:  # not a mobile number after all; the check above should catch it
        return replies.not_mobile()
    return replies.registered(kpj=command.kpj)


def _saldo(command: Saldo, ctx: Context) -> Reply:
    found = _membership_for(command.kpj, ctx, keyword="SALDO")
    if isinstance(found, Reply):
        return found
    summary = balance_summary_get(kpj=found.kpj, as_of=ctx.as_of)
    _disclose(ctx, kpj=found.kpj, what=Disclosed.BALANCE)
    return replies.balance(summary)


def _status(command: Status, ctx: Context) -> Reply:
    found = _membership_for(command.kpj, ctx, keyword="STATUS")
    if isinstance(found, Reply):
        return found
    status = membership_status(membership=found, as_of=ctx.as_of)
    _disclose(ctx, kpj=found.kpj, what=Disclosed.STATUS)
    return replies.status(kpj=found.kpj, as_of=ctx.as_of, status=status, employer=found.employer.name)


def _membership_for(kpj: str | None, ctx: Context, *, keyword: str) -> Membership | Reply:
    """The membership this number may see, or the reply that refuses (the same reply whether
    or not the KPJ exists)."""
    if ctx.phone is None:
        return replies.not_registered()
    if kpj is None:
        kpjs = phone_kpjs(phone=ctx.phone)
        if not kpjs:
            return replies.not_registered()
        if len(kpjs) > 1:
            return replies.choose_kpj(kpjs=kpjs, command=keyword)
        kpj = kpjs[0]
    membership = phone_membership(phone=ctx.phone, kpj=kpj)
    return membership if membership is not None else replies.not_registered()


def _disclose(ctx: Context, *, kpj: str, what: str) -> None:
    # inbound_receive runs the handler and stores the reply in one transaction, so the audit
    # row exists exactly when the answer does.
    disclosure_record(channel=ctx.channel, recipient=ctx.phone or ctx.sender, kpj=kpj, what=what, at=ctx.now)


def _help(command: Help, ctx: Context) -> Reply:
    return replies.help_text()


def _unknown(command: Unknown, ctx: Context) -> Reply:
    return replies.usage()


def _format_error(command: FormatError, ctx: Context) -> Reply:
    return replies.format_error(command)


_HANDLERS: dict[type, Callable[..., Reply]] = {
    Daftar: _daftar,
    Saldo: _saldo,
    Status: _status,
    Help: _help,
    Unknown: _unknown,
    FormatError: _format_error,
}
