"""The digital membership card: what it shows and the QR code on it.

The QR code holds what SALDO_PORTAL["CARD_PAYLOAD"] makes of the card. The default is the KPJ
number alone, the same number the printed card carries; the mobile API's signed payload can take
its place through that setting without touching the page."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import segno
from django.conf import settings
from django.utils.module_loading import import_string

from saldo.registry.models import Membership


@dataclass(frozen=True)
class Card:
    kpj: str
    name: str
    status: str
    employer_name: str
    start_date: date
    end_date: date | None
    qr_svg: str  # inline SVG, made here from our own payload only


def kpj_payload(membership: Membership, now: datetime) -> str:
    return membership.kpj


def card_payload(membership: Membership, now: datetime) -> str:
    make: Callable[[Membership, datetime], str] = import_string(settings.SALDO_PORTAL["CARD_PAYLOAD"])
    return make(membership, now)


def qr_svg(payload: str, *, title: str) -> str:
    """An inline SVG QR code; `title` names it for screen readers."""
    return segno.make(payload, error="m", micro=False).svg_inline(
        scale=4, border=2, title=title, svgclass="qr", lineclass=None, omitsize=True
    )
