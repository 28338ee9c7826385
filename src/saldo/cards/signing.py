"""Ed25519 keys and the signed payload format of the digital card.

Payload: `SALDO1.<claims>.<signature>`, both parts base64url without padding. `claims` is the
canonical JSON of the card (keys sorted, no spaces, UTF-8); the signature covers the ASCII text
`SALDO1.<claims>`, so it binds the format version too. The key id (`kid`) inside the claims is
the first 8 bytes of SHA-256 over the raw public key, base64url.

The private key comes from SALDO_API["CARD_SIGNING_KEY"] (environment: a PEM, or the raw 32-byte
seed in base64) or else from the key file SALDO_API["CARD_KEY_FILE"] (under DATA_DIR), created on
first use with mode 0600. Keys are never committed: DATA_DIR is outside version control."""

import base64
import binascii
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

PREFIX = "SALDO1"


class PayloadMalformed(Exception):
    """Not a payload in our format (wrong prefix, bad base64, not canonical JSON)."""


class SignatureInvalid(Exception):
    pass


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not text or any(c not in _B64URL for c in text):
        raise PayloadMalformed("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise PayloadMalformed("not base64url") from None


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def canonical_json(claims: dict) -> bytes:
    return json.dumps(claims, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def key_id(public_key: Ed25519PublicKey) -> str:
    return b64url(hashlib.sha256(public_raw(public_key)).digest()[:8])


def public_raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def sign(claims: dict, *, private_key: Ed25519PrivateKey) -> str:
    signing_input = f"{PREFIX}.{b64url(canonical_json(claims))}"
    return f"{signing_input}.{b64url(private_key.sign(signing_input.encode('ascii')))}"


def unpack(payload: str) -> tuple[dict, str, bytes]:
    """(claims, signing input, signature) of a payload, without checking the signature."""
    parts = payload.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise PayloadMalformed("not SALDO1.<claims>.<signature>")
    body = b64url_decode(parts[1])
    try:
        claims = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PayloadMalformed("claims are not JSON") from None
    if not isinstance(claims, dict) or canonical_json(claims) != body:
        raise PayloadMalformed("claims are not canonical JSON")
    return claims, f"{parts[0]}.{parts[1]}", b64url_decode(parts[2])


def check_signature(signing_input: str, signature: bytes, *, public_key: Ed25519PublicKey) -> None:
    try:
        public_key.verify(signature, signing_input.encode("ascii"))
    except InvalidSignature:
        raise SignatureInvalid() from None


# --- keys --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRing:
    private_key: Ed25519PrivateKey
    kid: str
    # Every public key a card may be signed with: the current one and any retired ones still
    # listed (cards signed before a rotation stay checkable until they expire).
    public_keys: dict[str, Ed25519PublicKey]


def key_ring() -> KeyRing:
    config = settings.SALDO_API
    old_public = tuple(config.get("CARD_OLD_PUBLIC_KEYS", ()))
    return _key_ring(config.get("CARD_SIGNING_KEY") or "", str(config["CARD_KEY_FILE"]), old_public)


def verification_keys() -> dict[str, Ed25519PublicKey]:
    """The public keys this service's cards are checked with, by key id, without creating a key:
    checking a card on a machine that never issued one must not make it an issuer. Empty when
    there is no signing key here and no retired key is listed."""
    config = settings.SALDO_API
    if config.get("CARD_SIGNING_KEY") or Path(config["CARD_KEY_FILE"]).exists():
        return key_ring().public_keys
    old = (public_from_text(text) for text in config.get("CARD_OLD_PUBLIC_KEYS", ()) if text.strip())
    return {key_id(k): k for k in old}


@lru_cache(maxsize=8)
def _key_ring(configured: str, key_file: str, old_public: tuple[str, ...]) -> KeyRing:
    private_key = _private_from_text(configured) if configured else _private_from_file(Path(key_file))
    public_keys = {key_id(k): k for k in (public_from_text(text) for text in old_public if text.strip())}
    kid = key_id(private_key.public_key())
    public_keys[kid] = private_key.public_key()
    return KeyRing(private_key, kid, public_keys)


def _private_from_text(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("CARD_SIGNING_KEY is not an Ed25519 key")
        return key
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text))


def public_from_text(text: str) -> Ed25519PublicKey:
    """A public key given as PEM or as the raw 32 bytes in base64 / base64url."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    raw = base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4))
    return Ed25519PublicKey.from_public_bytes(raw)


def _private_from_file(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Written whole to a private temporary file, then linked into place: a worker starting at
        # the same moment either sees no file or a complete one, and the first link wins.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".card-key-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return _private_from_text(path.read_text(encoding="ascii"))
