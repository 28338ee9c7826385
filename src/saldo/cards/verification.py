"""Checking a digital card offline, and the public keys that let anyone do it."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.translation import gettext as _

from saldo.cards.signing import (
    PayloadMalformed,
    SignatureInvalid,
    b64url,
    check_signature,
    key_id,
    key_ring,
    public_pem,
    public_raw,
    unpack,
    verification_keys,
)

# A checker's clock may run a little ahead of ours or behind it.
CLOCK_SKEW = timedelta(minutes=5)
CLAIMS = {"kid", "kpj", "name", "status", "iat", "exp"}


class Verdict:
    VALID = "valid"
    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"


@dataclass(frozen=True)
class CardCheck:
    verdict: str  # one of Verdict
    message: str  # why, in the active language
    claims: dict = field(default_factory=dict)  # the card's claims once the signature holds

    @property
    def valid(self) -> bool:
        return self.verdict == Verdict.VALID


def card_verify(*, payload: str, now: datetime, public_keys: list[Ed25519PublicKey] | None = None) -> CardCheck:
    """Check a card payload: format, key, signature, then dates (in that order, so an altered
    expiry fails as an altered card, not as a valid one).

    `public_keys` defaults to this service's keys; a checker elsewhere passes the published one."""
    keys = {key_id(k): k for k in public_keys} if public_keys is not None else verification_keys()
    try:
        claims, signing_input, signature = unpack(payload)
    except PayloadMalformed:
        return CardCheck(Verdict.MALFORMED, _("Bukan kartu digital Saldo: formatnya tidak dikenali."))
    public_key = keys.get(claims.get("kid"))
    if public_key is None:
        return CardCheck(
            Verdict.UNKNOWN_KEY,
            _("Kartu ditandatangani dengan kunci yang tidak dikenal (%(kid)s): kartu palsu.")
            % {"kid": str(claims.get("kid"))[:20]},
        )
    try:
        check_signature(signing_input, signature, public_key=public_key)
    except SignatureInvalid:
        return CardCheck(
            Verdict.BAD_SIGNATURE,
            _("Tanda tangan tidak cocok dengan isi kartu: kartu dipalsukan atau isinya diubah."),
        )
    try:
        if set(claims) != CLAIMS:
            raise ValueError
        issued_at, expires_at = _moment(claims["iat"]), _moment(claims["exp"])
    except (ValueError, TypeError):
        return CardCheck(Verdict.MALFORMED, _("Bukan kartu digital Saldo: formatnya tidak dikenali."))
    if issued_at > now + CLOCK_SKEW:
        return CardCheck(
            Verdict.NOT_YET_VALID,
            _("Tanggal terbit kartu (%(iat)s) masih di masa depan.") % {"iat": claims["iat"]},
            claims,
        )
    if expires_at <= now:
        return CardCheck(
            Verdict.EXPIRED, _("Kartu sudah kedaluwarsa sejak %(exp)s.") % {"exp": claims["exp"]}, claims
        )
    return CardCheck(Verdict.VALID, _("Kartu sah."), claims)


def _moment(text: str) -> datetime:
    if not isinstance(text, str) or not text.endswith("Z"):
        raise ValueError(text)
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@dataclass(frozen=True)
class PublishedKey:
    kid: str
    algorithm: str
    public_key: str  # raw 32 bytes, base64url
    pem: str
    current: bool  # the key new cards are signed with


def card_public_keys() -> list[PublishedKey]:
    ring = key_ring()
    return [
        PublishedKey(kid, "Ed25519", b64url(public_raw(key)), public_pem(key), kid == ring.kid)
        for kid, key in sorted(ring.public_keys.items(), key=lambda item: item[0] != ring.kid)
    ]
