"""From one stored WhatsApp message to the replies it gets.

    a tap (button or list row id) ─▶ the menu's services, the KPJ picker, the registration buttons
    typed text during a registration ─▶ the registration's next step (BATAL leaves it)
    any other typed text ─▶ the shared grammar (channels.commands), as on SMS:
        SALDO / STATUS / KLAIM [KPJ] and format errors ─▶ channels.commands.handlers.reply_to
        DAFTAR SALDO#… ─▶ the registration, straight to the PIN
        BANTUAN / HELP ─▶ the help text under the menu; anything else (halo, selamat pagi) ─▶ the menu

One grammar, two transports: what SMS answers to a command, WhatsApp answers with the same words,
adding buttons (and a list where SMS asks the member to type a KPJ).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from saldo.channels.commands import replies
from saldo.channels.commands.grammar import Daftar, Help, Klaim, Saldo, Status, Unknown, parse
from saldo.channels.commands.handlers import reply_to
from saldo.channels.models import Channel, InboundMessage
from saldo.channels.whatsapp import answers, registration, texts
from saldo.channels.whatsapp.answers import Service
from saldo.channels.whatsapp.menu import MENU, main_menu_option, menu
from saldo.channels.whatsapp.messages import Option, WaReply, buttons_reply, text_reply
from saldo.channels.whatsapp.models import Conversation
from saldo.channels.whatsapp.payloads import READABLE
from saldo.registry.validators import validate_kpj

# A typed command the number's several KPJ leave open: the service its list of KPJ leads to.
_PICKED = {Saldo: Service.SALDO, Status: Service.STATUS, Klaim: Service.KLAIM}
CANCEL_WORDS = frozenset(["BATAL", "CANCEL", "STOP", "KELUAR", "BERHENTI"])
START_WORDS = frozenset(["DAFTAR", "DAFTAR SALDO", "DAFTARKAN", "DAFTARKAN NOMOR", "REGISTRASI"])


def respond(*, sender: str, kind: str, text: str, choice: str | None, now: datetime) -> list[WaReply]:
    """The replies to one message from `sender` (InboundMessage.sender). Runs inside the caller's
    transaction, which also queues the replies and stores the answer."""
    if _rate_limited(sender=sender, now=now):
        return [text_reply(replies.rate_limited().text)]
    conversation = registration.conversation_live(sender=sender, now=now)
    if choice is not None:
        return [_tap(choice, sender=sender, conversation=conversation, now=now)]
    if kind not in READABLE:
        return [menu(sender=sender, body=texts.not_readable())]
    if conversation is not None:
        if _word(text) in CANCEL_WORDS:
            return [registration.registration_cancel(sender=sender)]
        if isinstance(parse(text, today=timezone.localdate(now)), Unknown):
            return [registration.registration_step(conversation, text=text, now=now)]
        conversation.delete()  # the member typed a command instead: they have moved on
    return [_typed(text, sender=sender, now=now)]


def _tap(choice: str, *, sender: str, conversation: Conversation | None, now: datetime) -> WaReply:
    action, _, argument = choice.partition(":")
    if action == registration.REGISTRATION:
        if choice == registration.RESEND:
            return registration.registration_resend(conversation, sender=sender, now=now)
        return registration.registration_cancel(sender=sender)
    if conversation is not None:
        conversation.delete()  # a tap elsewhere leaves the registration
    if action == MENU:
        if argument in Service.ALL:
            return answers.answer(service=argument, sender=sender, kpj=None, now=now)
        if argument == "daftar":
            return registration.registration_start(sender=sender, now=now)
        if argument == "bantuan":
            return _help(sender)
        return menu(sender=sender)
    if action in Service.ALL and not validate_kpj(argument):
        return answers.answer(service=action, sender=sender, kpj=argument, now=now)
    return menu(sender=sender)  # an id we never sent (or from an older version of the menu)


def _typed(text: str, *, sender: str, now: datetime) -> WaReply:
    if _word(text) in START_WORDS:
        return registration.registration_start(sender=sender, now=now)
    command = parse(text, today=timezone.localdate(now))
    if isinstance(command, Daftar):
        return registration.registration_start(sender=sender, now=now, daftar=command)
    if isinstance(command, Help):
        return menu(sender=sender) if _word(text) == "MENU" else _help(sender)
    if isinstance(command, Unknown):
        return menu(sender=sender)
    # SALDO, STATUS, KLAIM and their format errors: the SMS answer, word for word.
    reply = reply_to(channel=Channel.WHATSAPP, sender=sender, text=text, now=now)
    if reply.code == "choose_kpj":
        return answers.answer(service=_PICKED[type(command)], sender=sender, kpj=None, now=now)
    if reply.code == "not_registered":
        return buttons_reply(
            reply.text, [Option(f"{MENU}:daftar", texts.menu_titles()["daftar"][0]), main_menu_option()]
        )
    if reply.code == "rate_limited":
        return text_reply(reply.text)
    return buttons_reply(reply.text, [main_menu_option()])


def _help(sender: str) -> WaReply:
    return menu(sender=sender, body=texts.help_text())


def _word(text: str) -> str:
    return " ".join(text.upper().split()).strip(".!?")


def _rate_limited(*, sender: str, now: datetime) -> bool:
    """The SMS limit (SALDO_CHANNELS), counted the same way: this number's stored messages in the
    window, this one included. Taps count too: each one costs a reply."""
    limits = settings.SALDO_CHANNELS
    most = limits["RATE_LIMIT_MESSAGES"]
    since = now - timedelta(minutes=limits["RATE_LIMIT_WINDOW_MINUTES"])
    recent = InboundMessage.objects.filter(
        channel=Channel.WHATSAPP, sender=sender, received_at__gt=since, received_at__lte=now
    )[: most + 1]
    return recent.count() > most
