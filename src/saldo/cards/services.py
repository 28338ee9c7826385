"""Issuing a member's digital card: the card's facts as of now, signed."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from saldo.cards.signing import key_ring, sign
from saldo.contributions.selectors import membership_status
from saldo.registry.models import Membership


@dataclass(frozen=True)
class DigitalCard:
    kpj: str
    name: str
    status: str  # aktif / non-aktif, as of issued_at
    employer_name: str
    issued_at: datetime
    expires_at: datetime
    payload: str  # what the QR code holds


def card_issue(*, membership: Membership, now: datetime) -> DigitalCard:
    """The card of `membership` with its status as of `now`, valid CARD_VALID_HOURS.

    The signed claims are KPJ, name, status, issued-at and expiry (whole seconds, UTC) and the
    key id; the employer is shown on the card but not signed (it is not what a checker relies on)."""
    issued_at = now.astimezone(UTC).replace(microsecond=0)
    expires_at = issued_at + timedelta(hours=settings.SALDO_API["CARD_VALID_HOURS"])
    status = membership_status(membership=membership, as_of=timezone.localdate(now))
    ring = key_ring()
    claims = {
        "kid": ring.kid,
        "kpj": membership.kpj,
        "name": membership.person.name,
        "status": status,
        "iat": _timestamp(issued_at),
        "exp": _timestamp(expires_at),
    }
    return DigitalCard(
        kpj=membership.kpj,
        name=membership.person.name,
        status=status,
        employer_name=membership.employer.name,
        issued_at=issued_at,
        expires_at=expires_at,
        payload=sign(claims, private_key=ring.private_key),
    )


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
