"""The menu's answers about one KPJ: balance, status, the digital card, the last 12 months of iuran
and the JHT claim (can it be claimed, the estimate, the claim in progress).

Each reads through the same selectors as the SMS handlers, answers only to a number bound to
the KPJ (the same refusal whether or not the KPJ exists), and writes what it disclosed to the
audit trail in the transaction that queues the reply. A number bound to several KPJ gets a list
to pick from first.
"""

from datetime import date, datetime

from django.utils import timezone

from saldo.audit.services import disclosure_record
from saldo.cards.services import card_issue
from saldo.channels.commands.handlers import Disclosed
from saldo.channels.models import Channel
from saldo.channels.whatsapp import texts
from saldo.channels.whatsapp.messages import MAX_ROWS, Option, WaReply, buttons_reply, card_reply, list_reply
from saldo.claims.rules import rule_get
from saldo.claims.selectors import claim_overview_get, membership_estimate_get
from saldo.contributions.selectors import contribution_history, membership_status
from saldo.identity.selectors import phone_kpjs, phone_membership
from saldo.registry.models import Membership
from saldo.registry.validators import normalize_phone
from saldo.statements.selectors import balance_summary_get

HISTORY_MONTHS = 12


class Service:
    """What a member can ask about one KPJ; also the prefix of the ids in the KPJ picker."""

    SALDO = "saldo"
    STATUS = "status"
    KARTU = "kartu"
    RIWAYAT = "riwayat"
    KLAIM = "klaim"
    ALL = (SALDO, STATUS, KARTU, RIWAYAT, KLAIM)


class Audited:
    """What the audit trail says was disclosed (the SMS handlers write balance and status too)."""

    BALANCE = Disclosed.BALANCE
    STATUS = Disclosed.STATUS
    CARD = "card"
    CONTRIBUTIONS = "contributions"
    CLAIM = Disclosed.CLAIM
    MEMBERSHIPS = "membership_list"  # the picker names each KPJ's employer


def answer(*, service: str, sender: str, kpj: str | None, now: datetime) -> WaReply:
    """The answer to `service` for `kpj` (None: the number's only KPJ, or a list to pick from)."""
    phone = normalize_phone(sender)
    if phone is None:
        return not_bound()
    if kpj is None:
        kpjs = phone_kpjs(phone=phone)
        if len(kpjs) > 1:
            return _picker(service=service, phone=phone, kpjs=kpjs, now=now)
        if not kpjs:
            return not_bound()
        kpj = kpjs[0]
    membership = phone_membership(phone=phone, kpj=kpj)
    if membership is None:
        return not_bound()
    if service == Service.KARTU:
        reply, audited = _card(membership, now), Audited.CARD
    else:
        text, audited = _ANSWERS[service](membership, timezone.localdate(now))
        reply = buttons_reply(text, _follow_ups(service, membership.kpj))
    disclosure_record(channel=Channel.WHATSAPP, recipient=phone, kpj=membership.kpj, what=audited, at=now)
    return reply


def not_bound() -> WaReply:
    return buttons_reply(
        texts.not_bound(),
        [Option("menu:daftar", texts.menu_titles()["daftar"][0]), Option("menu:utama", texts.main_menu_button())],
    )


def _picker(*, service: str, phone: str, kpjs: list[str], now: datetime) -> WaReply:
    options = []
    # Meta allows 10 rows; a member with more KPJ types SALDO <KPJ> for the rest.
    for kpj in kpjs[:MAX_ROWS]:
        membership = phone_membership(phone=phone, kpj=kpj)
        if membership is None:  # unbound since phone_kpjs was read
            continue
        description = texts.kpj_row_description(employer=membership.employer.name, ended=membership.end_date)
        options.append(Option(f"{service}:{kpj}", kpj, description))
        disclosure_record(channel=Channel.WHATSAPP, recipient=phone, kpj=kpj, what=Audited.MEMBERSHIPS, at=now)
    title = texts.menu_titles()[service][0]
    return list_reply(
        texts.choose_kpj(count=len(kpjs), service=title),
        button=texts.choose_kpj_button(),
        section="KPJ",
        options=options,
    )


def _follow_ups(service: str, kpj: str) -> list[Option]:
    menu = Option("menu:utama", texts.main_menu_button())
    if service in (Service.RIWAYAT, Service.KLAIM):
        return [Option(f"{Service.SALDO}:{kpj}", texts.menu_titles()["saldo"][0]), menu]
    return [Option(f"{Service.RIWAYAT}:{kpj}", texts.history_button()), menu]


def _balance(membership: Membership, as_of: date) -> tuple[str, str]:
    return texts.balance(balance_summary_get(kpj=membership.kpj, as_of=as_of)), Audited.BALANCE


def _status(membership: Membership, as_of: date) -> tuple[str, str]:
    text = texts.status(
        kpj=membership.kpj,
        as_of=as_of,
        status=membership_status(membership=membership, as_of=as_of),
        employer=membership.employer.name,
        start=membership.start_date,
        end=membership.end_date,
    )
    return text, Audited.STATUS


def _card(membership: Membership, now: datetime) -> WaReply:
    """The signed digital card (cards.services), the same one the app and the portal show: its QR
    code as a picture, its facts as the caption (alone outside the 24-hour window)."""
    card = card_issue(membership=membership, now=now)
    caption = texts.card(
        kpj=card.kpj,
        name=card.name,
        status=card.status,
        employer=card.employer_name,
        start=membership.start_date,
        expires=timezone.localtime(card.expires_at),
    )
    return card_reply(caption, payload=card.payload)


def _claim(membership: Membership, as_of: date) -> tuple[str, str]:
    """What SMS KLAIM answers (claims.selectors.claim_overview_get), with room for more: every
    reason open today with the estimate the portal shows for it, and the claim in progress."""
    overview = claim_overview_get(kpj=membership.kpj, person_id=membership.person_id, as_of=as_of)
    estimates = [
        membership_estimate_get(membership=membership, rule=rule_get(reason), as_of=as_of, event_date=None)
        for reason in overview.eligible_now
    ]
    return texts.claim(overview, estimates=estimates), Audited.CLAIM


def _history(membership: Membership, as_of: date) -> tuple[str, str]:
    months = contribution_history(membership=membership, as_of=as_of)[-HISTORY_MONTHS:]
    return texts.history(kpj=membership.kpj, months=months), Audited.CONTRIBUTIONS


_ANSWERS = {
    Service.SALDO: _balance,
    Service.STATUS: _status,
    Service.RIWAYAT: _history,
    Service.KLAIM: _claim,
}
