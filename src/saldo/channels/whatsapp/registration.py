"""Binding a WhatsApp number to a KPJ from the chat: NIK, name, birth date, KPJ and mother's name
(what every channel asks), checked by `identity.services.phone_register`, then a PIN sent by SMS
to the phone on record, typed back here; only then `binding_confirm` binds.

The PIN goes to the phone on record, never to the number chatting: from the member's own number
the SMS proves they hold the SIM today (a WhatsApp account can outlive a recycled number); from
another number it proves the owner agrees. A wrong NIK or birth date counts towards the
registration lockout exactly as an SMS DAFTAR does, and the chat never says which field was
wrong. `DAFTAR SALDO#…` typed in full skips to the questions it does not answer.
"""

import re
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from saldo.channels.commands import replies
from saldo.channels.commands.grammar import Daftar, parse_date
from saldo.channels.models import Channel
from saldo.channels.whatsapp import texts
from saldo.channels.whatsapp.menu import main_menu_option, menu
from saldo.channels.whatsapp.messages import Option, WaReply, buttons_reply, text_reply
from saldo.channels.whatsapp.models import Conversation
from saldo.identity.pins import PinError, PinWrong
from saldo.identity.selectors import registration_locked_until
from saldo.identity.services import (
    AccessFrozen,
    binding_confirm,
    phone_register,
    registration_keys,
)
from saldo.registry.validators import normalize_name, normalize_phone, validate_kpj, validate_name, validate_nik

Step = Conversation.Step
REGISTRATION = "reg"  # the prefix of this flow's button ids
RESEND = f"{REGISTRATION}:ulang"
CANCEL = f"{REGISTRATION}:batal"
_NUMBER_NOISE = re.compile(r"[\s\-.]")
_DIGITS = re.compile(r"^[0-9]+\Z")


def conversation_live(*, sender: str, now: datetime) -> Conversation | None:
    """The registration in progress for `sender`, locked for this transaction; one left idle too
    long is deleted with what was typed into it."""
    conversation = Conversation.objects.select_for_update().filter(phone=sender).first()
    if conversation is None:
        return None
    idle = now - conversation.updated_at
    if idle.total_seconds() > settings.SALDO_WHATSAPP["CONVERSATION_MINUTES"] * 60:
        conversation.delete()
        return None
    return conversation


def registration_start(*, sender: str, now: datetime, daftar: Daftar | None = None) -> WaReply:
    phone = normalize_phone(sender)
    if phone is None:
        return text_reply(replies.not_mobile().text)
    until = registration_locked_until(keys=registration_keys(phone=phone), now=now)
    if until is not None:
        _end(sender)
        return text_reply(replies.registration_locked(until=until).text)
    if daftar is not None:
        # The SMS format has no mother's name (and the 2023 one no name): ask what is missing.
        data = {"nik": daftar.nik, "birth_date": daftar.birth_date.isoformat(), "kpj": daftar.kpj}
        if daftar.name is None:
            _save(sender, step=Step.NAME, data=data, now=now)
            return buttons_reply(texts.register_ask_name(), [_cancel_option()])
        data["name"] = daftar.name
        _save(sender, step=Step.MOTHER, data=data, now=now)
        return buttons_reply(texts.register_ask_mother(), [_cancel_option()])
    _save(sender, step=Step.NIK, data={}, now=now)
    return buttons_reply(texts.register_start(), [_cancel_option()])


def registration_step(conversation: Conversation, *, text: str, now: datetime) -> WaReply:
    """The member's answer to the step `conversation` is at: NIK, name, birth date, KPJ, mother's
    name (the identity data every channel asks), then the PIN sent to the phone on record."""
    phone = normalize_phone(conversation.phone)
    if phone is None:  # a conversation is only ever started for a mobile number
        _end(conversation.phone)
        return text_reply(replies.not_mobile().text)
    data = dict(conversation.data)
    step = conversation.step
    if step == Step.NIK:
        nik = _number(text)
        if nik is None or validate_nik(nik):
            return _again(conversation, texts.register_bad_nik(), now=now)
        data["nik"] = nik
        return _next(conversation, data, Step.NAME, texts.register_ask_name(), now=now)
    if step == Step.NAME:
        name = normalize_name(text)
        if validate_name(name):
            return _again(conversation, texts.register_bad_name(), now=now)
        data["name"] = name
        following = Step.MOTHER if "kpj" in data else Step.BIRTH_DATE
        question = texts.register_ask_mother() if "kpj" in data else texts.register_ask_birth_date()
        return _next(conversation, data, following, question, now=now)
    if step == Step.BIRTH_DATE:
        # The grammar reads dates upper-cased ("7 OKTOBER 1987"), as it does inside DAFTAR SALDO#….
        born = parse_date(" ".join(text.upper().split()), today=timezone.localdate(now))
        if born is None:
            return _again(conversation, texts.register_bad_birth_date(), now=now)
        data["birth_date"] = born.isoformat()
        return _next(conversation, data, Step.KPJ, texts.register_ask_kpj(), now=now)
    if step == Step.KPJ:
        kpj = _number(text)
        if kpj is None or validate_kpj(kpj):
            return _again(conversation, texts.register_bad_kpj(), now=now)
        data["kpj"] = kpj
        return _next(conversation, data, Step.MOTHER, texts.register_ask_mother(), now=now)
    if step == Step.MOTHER:
        mother = normalize_name(text)
        if validate_name(mother, field="mother_maiden_name"):
            return _again(conversation, texts.register_bad_mother(), now=now)
        data["mother_maiden_name"] = mother
        return _pin_send(sender=conversation.phone, phone=phone, data=data, now=now)
    return _pin_check(conversation, phone=phone, code=text, now=now)


def registration_resend(conversation: Conversation | None, *, sender: str, now: datetime) -> WaReply:
    """A new PIN ("Kirim Ulang PIN") for the data already given; without it, start over."""
    phone = normalize_phone(sender)
    if conversation is None or conversation.step != Step.PIN or phone is None:
        return registration_start(sender=sender, now=now)
    return _pin_send(sender=sender, phone=phone, data=dict(conversation.data), now=now)


def registration_cancel(*, sender: str) -> WaReply:
    _end(sender)
    return menu(sender=sender, body=texts.register_cancelled())


def _next(conversation: Conversation, data: dict, step: str, question: str, *, now: datetime) -> WaReply:
    _save(conversation.phone, step=step, data=data, now=now)
    return buttons_reply(question, [_cancel_option()])


def _pin_send(*, sender: str, phone: str, data: dict, now: datetime) -> WaReply:
    """Check the identity data (counted as any registration) and send the PIN to the phone on
    record; the chat never says which field was wrong."""
    try:
        pending = phone_register(
            phone=phone,
            channel=Channel.WHATSAPP,
            nik=data["nik"],
            birth_date=date.fromisoformat(data["birth_date"]),
            kpj=data["kpj"],
            name=data.get("name"),
            mother_maiden_name=data.get("mother_maiden_name"),
            now=now,
        )
    except replies.REGISTRATION_REFUSALS as refused:
        _end(sender)
        reply = replies.registration_refusal(refused)
        if reply.code in ("registration_locked", "not_mobile"):  # nothing to offer but waiting
            return text_reply(reply.text)
        return buttons_reply(reply.text, [main_menu_option()])
    _save(sender, step=Step.PIN, data=data, now=now)
    minutes = settings.SALDO_PINS["VALID_MINUTES"]
    return buttons_reply(texts.register_pin_sent(minutes=minutes, sent_to=pending.sent_to),
                         [_resend_option(), _cancel_option()])


def _pin_check(conversation: Conversation, *, phone: str, code: str, now: datetime) -> WaReply:
    code = _number(code)
    if code is None or not 4 <= len(code) <= 8:
        return _again(conversation, texts.register_type_pin(), now=now, resend=True)
    try:
        binding = binding_confirm(phone=phone, code=code, channel=Channel.WHATSAPP, now=now)
    except PinWrong as exc:
        return _again(conversation, exc.message, now=now, resend=True)
    except PinError as exc:  # expired, used up or replaced: only a new PIN helps
        return buttons_reply(exc.message, [_resend_option(), _cancel_option()])
    except AccessFrozen:
        _end(conversation.phone)
        return buttons_reply(replies.access_frozen().text, [main_menu_option()])
    _end(conversation.phone)
    return menu(sender=conversation.phone, body=texts.register_done(kpj=binding.membership.kpj))


def _again(conversation: Conversation, text: str, *, now: datetime, resend: bool = False) -> WaReply:
    """Ask the same step again; the conversation stays alive for another CONVERSATION_MINUTES."""
    _save(conversation.phone, step=conversation.step, data=conversation.data, now=now)
    options = [_resend_option(), _cancel_option()] if resend else [_cancel_option()]
    return buttons_reply(text, options)


def _save(sender: str, *, step: str, data: dict, now: datetime) -> None:
    Conversation.objects.update_or_create(phone=sender, defaults={"step": step, "data": data, "updated_at": now})


def _end(sender: str) -> None:
    Conversation.objects.filter(phone=sender).delete()


def _number(text: str) -> str | None:
    digits = _NUMBER_NOISE.sub("", text)
    return digits if _DIGITS.match(digits) else None


def _resend_option() -> Option:
    return Option(RESEND, texts.resend_pin_button())


def _cancel_option() -> Option:
    return Option(CANCEL, texts.cancel_button())
