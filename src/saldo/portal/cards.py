"""The digital membership card as the portal shows it: the signed card of saldo.cards (the same
one the mobile app shows and `saldo verify-card` checks) with its QR code drawn inline."""

from dataclasses import dataclass
from datetime import date, datetime

import segno


@dataclass(frozen=True)
class Card:
    kpj: str
    name: str
    status: str  # aktif / non-aktif, as signed
    employer_name: str
    start_date: date
    end_date: date | None
    expires_at: datetime  # the signed QR code stops verifying then
    payload: str  # the signed card (saldo.cards), what the QR code holds
    qr_svg: str  # inline SVG, made here from that payload only


def qr_svg(payload: str, *, title: str) -> str:
    """An inline SVG QR code (no data: URI, so the page's CSP needs no exception); `title` names
    it for screen readers."""
    return segno.make(payload, error="m", micro=False).svg_inline(
        scale=3, border=2, title=title, svgclass="qr", lineclass=None, omitsize=True
    )
