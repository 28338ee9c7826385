"""From one message to one reply: the abuse limits, the grammar, then one service or selector.

Every text transport (SMS through Kannel, WhatsApp, the `saldo sms` command) ends here through
`channels.services.inbound_receive`. Balances and status answer only to the number bound to the
KPJ, and each answer is written to the audit trail in the same transaction as the reply.

This runs for every message, so it reads little and waits once: the rate limit, the sender's
bindings and, for SALDO KPJ, the balance (statements.selectors.BALANCE_SUMMARY_COLUMNS) come in one
statement, the balance to be shown only if the bindings allow it. It is a prepared statement on
PostgreSQL.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from saldo.audit.services import disclosure_record
from saldo.channels.commands import replies
from saldo.channels.commands.grammar import (
    Bukan,
    Command,
    Daftar,
    FormatError,
    Help,
    Klaim,
    Pin,
    Saldo,
    Status,
    Unknown,
    parse,
)
from saldo.channels.commands.replies import Reply
from saldo.claims.selectors import claim_overview_get
from saldo.contributions.selectors import membership_status
from saldo.core.prepared import fetch_prepared
from saldo.identity.freezes import ReportCodeUnknown, report_not_me
from saldo.identity.pins import PinError
from saldo.identity.selectors import PHONE_MEMBERSHIPS_SQL, phone_membership
from saldo.identity.services import (
    AccessFrozen,
    BindingPending,
    binding_confirm,
    phone_register,
)
from saldo.registry.validators import normalize_phone
from saldo.statements.selectors import (
    BALANCE_SUMMARY_COLUMNS,
    BalanceSummary,
    balance_columns_params,
    balance_summary_from,
    balance_summary_get,
)

SENDER_MAX = 20  # InboundMessage.sender


class Disclosed:
    """What an answer disclosed, as written to the audit trail."""

    BALANCE = "balance"
    STATUS = "status"
    CLAIM = "claim"


@dataclass(frozen=True)
class Disclosure:
    """One row the audit trail must get with the reply: recipient the sender, channel the message's,
    at the `now` of the answer."""

    kpj: str
    what: str


@dataclass(frozen=True)
class Answer:
    """A reply and what it discloses. Whoever stores the reply writes the disclosures to the audit
    trail in the same transaction (channels.services does it in the statement that stores the reply)."""

    reply: Reply
    disclosures: tuple[Disclosure, ...] = ()


@dataclass(frozen=True)
class Question:
    """One message, parsed, before it is answered."""

    channel: str
    sender: str  # canonical: +62… for an Indonesian mobile, else the raw sender, cut
    phone: str | None  # the Indonesian mobile number, None if the sender is not one
    command: Command
    now: datetime
    as_of: date

    @property
    def writes(self) -> bool:
        """Answering it writes more than the reply's audit rows (a registration, a binding PIN, a
        "not me" report): answer it in the transaction that stores the reply."""
        return isinstance(self.command, (Daftar, Pin, Bukan))


@dataclass(frozen=True)
class Context:
    channel: str
    sender: str
    phone: str | None
    now: datetime
    as_of: date
    kpjs: tuple[str, ...] | None  # the KPJs the phone is bound to, in KPJ order; None: not read
    balance: BalanceSummary | None  # read ahead for SALDO KPJ; not yet checked against kpjs


def sender_canonical(raw: str) -> str:
    """How a sender is stored and counted: +62… when it is an Indonesian mobile number."""
    phone = normalize_phone(raw)
    if phone is not None:
        return phone
    return raw.strip().replace("\x00", "")[:SENDER_MAX]


def reply_to(*, channel: str, sender: str, text: str, now: datetime) -> Reply:
    """The answer to `text` from `sender`, its disclosures written to the audit trail. `now` is the
    caller's one read of the clock.

    The rate limit counts the stored InboundMessages of this sender as including this one (as
    when it came in through inbound_receive)."""
    question = question_parse(channel=channel, sender=sender, text=text, now=now)
    answer = answer_to(question=question)
    for disclosure in answer.disclosures:
        _disclose(channel=channel, recipient=question.sender, disclosure=disclosure, at=now)
    return answer.reply


def question_parse(*, channel: str, sender: str, text: str, now: datetime) -> Question:
    """`text` from `sender` read as a command; reads nothing from the database.

    The as-of date is the fund's (TIME_ZONE), not a time zone some earlier request activated."""
    as_of = timezone.localdate(now, timezone.get_default_timezone())
    command = parse(text, today=as_of)
    phone = normalize_phone(sender)
    return Question(channel, phone or sender_canonical(sender), phone, command, now, as_of)


def answer_to(*, question: Question, external_id: str | None = None) -> Answer:
    """The answer to `question` with the disclosures it makes, which the caller writes to the
    audit trail with the reply. A registration is written here (question.writes): answer such a
    question inside the transaction that stores the reply.

    `external_id`: the message being answered, which counts once towards the rate limit whether
    or not it is stored yet. Without it, the stored messages are taken to include this one."""
    q = question
    recent, kpjs, balance = _sender_reads(q, external_id=external_id)
    if recent > settings.SALDO_CHANNELS["RATE_LIMIT_MESSAGES"]:
        return Answer(replies.rate_limited())
    ctx = Context(q.channel, q.sender, q.phone, q.now, q.as_of, kpjs, balance)
    return _HANDLERS[type(q.command)](q.command, ctx)


def _sender_reads(q: Question, *, external_id: str | None) -> tuple[int, tuple[str, ...] | None, BalanceSummary | None]:
    """In one statement: how many messages this sender sent in the rate-limit window, this one
    included; the KPJs the phone is bound to, in KPJ order (None when the command needs none);
    and for SALDO with a KPJ from a mobile number, that KPJ's balance if the number is bound to
    it (else None: PostgreSQL skips the summary, so a number asking for other people's KPJs costs
    no balance). _saldo still shows it only once the bindings read here allow it.

    Counting stops one past the limit: the (channel, sender, received_at) index answers it
    without reading a flood of rows."""
    limits = settings.SALDO_CHANNELS
    adapt = connection.ops.adapt_datetimefield_value
    since = q.now - timedelta(minutes=limits["RATE_LIMIT_WINDOW_MINUTES"])
    params = [q.channel, q.sender, adapt(since), adapt(q.now)]
    recent_sql = _RECENT_SQL
    if external_id is not None:
        # This message counts as one, stored or not (one that an error left unanswered is stored).
        recent_sql, params = _RECENT_OTHERS_SQL, [*params, external_id]
    params.append(limits["RATE_LIMIT_MESSAGES"] + 1)
    bindings_of = q.phone if isinstance(q.command, (Saldo, Status, Klaim)) else None
    ahead = q.command.kpj if bindings_of is not None and isinstance(q.command, Saldo) else None
    if bindings_of is None:
        sql = recent_sql
    elif ahead is None:
        sql, params = _BOUND_SQL + _BOUND_KPJS_SQL + _UNION + recent_sql, [bindings_of, *params]
    else:
        sql = _BOUND_SQL + _BOUND_BALANCE_SQL + _UNION + recent_sql + _UNION + _BOUND_KPJS_SQL
        params = [bindings_of, *balance_columns_params(as_of=q.as_of), ahead, *params]
    recent, bound, balance = external_id is not None, [], None
    for kpj, count, *summary in fetch_prepared(sql, params):
        if count is not None:
            recent += count
        elif kpj is not None:
            bound.append(kpj)
        else:
            balance = balance_summary_from(summary, kpj=ahead, as_of=q.as_of)
    return recent, tuple(sorted(bound)) if bindings_of is not None else None, balance


# The rows: (NULL, NULL, the balance summary's columns) if asked for; (NULL, messages in the
# window); (a bound KPJ, NULL) each. The memberships the phone is bound to are read once, for the
# list and for the balance, which is there only if the KPJ asked for is one of them. The balance
# comes first and the count second: PostgreSQL types a UNION's columns from left to right, and a
# column that is NULL in the branches so far is text.
_BOUND_SQL = f"WITH bound AS ({PHONE_MEMBERSHIPS_SQL}) "
_BOUND_BALANCE_SQL = f"SELECT NULL, NULL, {BALANCE_SUMMARY_COLUMNS} FROM bound m WHERE m.kpj = %s"
_BOUND_KPJS_SQL = "SELECT m.kpj, NULL, NULL, NULL, NULL, NULL FROM bound m"
_UNION = " UNION ALL "
_RECENT = """SELECT 1 FROM channels_inboundmessage
             WHERE channel = %s AND sender = %s AND received_at > %s AND received_at <= %s"""
_RECENT_SQL = f"SELECT NULL, COUNT(*), NULL, NULL, NULL, NULL FROM ({_RECENT} LIMIT %s) recent"
_RECENT_OTHERS_SQL = (
    f"SELECT NULL, COUNT(*), NULL, NULL, NULL, NULL FROM ({_RECENT} AND external_id <> %s LIMIT %s) recent"
)


def _daftar(command: Daftar, ctx: Context) -> Answer:
    return Answer(_registration(command, ctx))


def _registration(command: Daftar, ctx: Context) -> Reply:
    if ctx.phone is None:
        return replies.not_mobile()
    try:
        outcome = phone_register(
            phone=ctx.phone,
            channel=ctx.channel,
            nik=command.nik,
            birth_date=command.birth_date,
            kpj=command.kpj,
            name=command.name,
            email=command.email,
            now=ctx.now,
        )
    except replies.REGISTRATION_REFUSALS as refused:
        return replies.registration_refusal(refused)
    if isinstance(outcome, BindingPending):
        minutes = settings.SALDO_PINS["VALID_MINUTES"]
        return replies.binding_pin_sent(sent_to=outcome.sent_to, kpj=outcome.kpj, minutes=minutes)
    return replies.registered(kpj=command.kpj)


def _pin(command: Pin, ctx: Context) -> Answer:
    if ctx.phone is None:
        return Answer(replies.not_mobile())
    try:
        binding = binding_confirm(phone=ctx.phone, code=command.code, channel=ctx.channel, now=ctx.now)
    except PinError as exc:
        return Answer(replies.pin_refused(exc.message))
    except AccessFrozen:
        return Answer(replies.access_frozen())
    return Answer(replies.registered(kpj=binding.membership.kpj))


def _bukan(command: Bukan, ctx: Context) -> Answer:
    try:
        report_not_me(code=command.code, channel=ctx.channel, now=ctx.now)
    except ReportCodeUnknown:
        return Answer(replies.report_code_unknown())
    return Answer(replies.report_received())


def _saldo(command: Saldo, ctx: Context) -> Answer:
    kpj = _kpj_for(command.kpj, ctx, keyword="SALDO")
    if isinstance(kpj, Reply):
        return Answer(kpj)
    summary = ctx.balance if ctx.balance is not None and ctx.balance.kpj == kpj else None
    if summary is None:
        summary = balance_summary_get(kpj=kpj, as_of=ctx.as_of)
    return Answer(replies.balance(summary), (Disclosure(kpj, Disclosed.BALANCE),))


def _status(command: Status, ctx: Context) -> Answer:
    kpj = _kpj_for(command.kpj, ctx, keyword="STATUS")
    if isinstance(kpj, Reply):
        return Answer(kpj)
    found = phone_membership(phone=ctx.phone, kpj=kpj)
    if found is None:  # unbound since the bindings were read
        return Answer(replies.not_registered())
    status = membership_status(membership=found, as_of=ctx.as_of)
    reply = replies.status(kpj=found.kpj, as_of=ctx.as_of, status=status, employer=found.employer.name)
    return Answer(reply, (Disclosure(found.kpj, Disclosed.STATUS),))


def _klaim(command: Klaim, ctx: Context) -> Answer:
    kpj = _kpj_for(command.kpj, ctx, keyword="KLAIM")
    if isinstance(kpj, Reply):
        return Answer(kpj)
    # The bound number stands for the member: no person check beyond the binding.
    overview = claim_overview_get(kpj=kpj, person_id=None, as_of=ctx.as_of)
    return Answer(replies.claim(overview), (Disclosure(kpj, Disclosed.CLAIM),))


def _kpj_for(kpj: str | None, ctx: Context, *, keyword: str) -> str | Reply:
    """The KPJ this number may see, or the reply that refuses (the same reply whether or not the
    KPJ exists)."""
    if ctx.phone is None or not ctx.kpjs:
        return replies.not_registered()
    if kpj is None:
        if len(ctx.kpjs) > 1:
            return replies.choose_kpj(kpjs=list(ctx.kpjs), command=keyword)
        return ctx.kpjs[0]
    return kpj if kpj in ctx.kpjs else replies.not_registered()


def _disclose(*, channel: str, recipient: str, disclosure: Disclosure, at: datetime) -> None:
    disclosure_record(channel=channel, recipient=recipient, kpj=disclosure.kpj, what=disclosure.what, at=at)


def _help(command: Help, ctx: Context) -> Answer:
    return Answer(replies.help_text())


def _unknown(command: Unknown, ctx: Context) -> Answer:
    return Answer(replies.usage())


def _format_error(command: FormatError, ctx: Context) -> Answer:
    return Answer(replies.format_error(command))


_HANDLERS: dict[type, Callable[..., Answer]] = {
    Daftar: _daftar,
    Saldo: _saldo,
    Status: _status,
    Klaim: _klaim,
    Pin: _pin,
    Bukan: _bukan,
    Help: _help,
    Unknown: _unknown,
    FormatError: _format_error,
}
