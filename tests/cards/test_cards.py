"""The digital card: a signed QR payload anyone can check offline with the published key."""

import base64
import json
import stat
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command

from saldo.cards.qr import qr_png_data_uri, qr_svg
from saldo.cards.services import card_issue
from saldo.cards.signing import _key_ring, b64url, canonical_json, key_id, key_ring, public_from_text, public_raw, sign
from saldo.cards.verification import Verdict, card_public_keys, card_verify
from tests.factories import make_member, post_contribution

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


@pytest.fixture
def card():
    member = make_member(kpj="68516716147", name="NENG KURNIASIH", start_date=date(2020, 1, 1))
    post_contribution(member, "2026-10", 5_000_000)
    return card_issue(membership=member, now=NOW)


def parts(payload: str) -> tuple[dict, str, str]:
    prefix, body, signature = payload.split(".")
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))), prefix, signature


def resigned(claims: dict, key: Ed25519PrivateKey) -> str:
    return sign(claims, private_key=key)


def test_the_card_carries_kpj_name_status_issue_and_expiry_signed(card):
    claims, prefix, _signature = parts(card.payload)
    assert prefix == "SALDO1"
    assert claims == {
        "kid": key_ring().kid,
        "kpj": "68516716147",
        "name": "NENG KURNIASIH",
        "status": "aktif",
        "iat": "2026-11-26T03:00:00Z",
        "exp": "2026-12-03T03:00:00Z",
    }
    assert (card.status, card.employer_name, card.expires_at - card.issued_at) == (
        "aktif", "PT MAJU JAYA", timedelta(days=7)
    )


def test_the_claims_are_canonical_json(card):
    body = card.payload.split(".")[1]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert raw == canonical_json(json.loads(raw)) == json.dumps(
        json.loads(raw), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def test_a_genuine_card_verifies(card):
    check = card_verify(payload=card.payload, now=NOW + timedelta(days=1))
    assert (check.verdict, check.message, check.claims["kpj"]) == (Verdict.VALID, "Kartu sah.", "68516716147")


def test_an_altered_card_fails_on_its_signature(card):
    claims, _prefix, signature = parts(card.payload)
    altered = {**claims, "status": "aktif", "name": "ORANG LAIN"}
    payload = f"SALDO1.{b64url(canonical_json(altered))}.{signature}"
    check = card_verify(payload=payload, now=NOW)
    assert check.verdict == Verdict.BAD_SIGNATURE
    assert "dipalsukan atau isinya diubah" in check.message
    assert check.claims == {}  # nothing of an unverified card is handed on


def test_an_extended_expiry_is_an_alteration_not_a_valid_card(card):
    claims, _prefix, signature = parts(card.payload)
    payload = f"SALDO1.{b64url(canonical_json({**claims, 'exp': '2099-01-01T00:00:00Z'}))}.{signature}"
    assert card_verify(payload=payload, now=NOW + timedelta(days=30)).verdict == Verdict.BAD_SIGNATURE


def test_a_card_forged_with_another_key_fails(card):
    claims, _prefix, _signature = parts(card.payload)
    forger = Ed25519PrivateKey.generate()
    # Claiming our key id, the signature does not match; claiming its own, the key is unknown.
    assert card_verify(payload=resigned(claims, forger), now=NOW).verdict == Verdict.BAD_SIGNATURE
    own = resigned({**claims, "kid": key_id(forger.public_key())}, forger)
    check = card_verify(payload=own, now=NOW)
    assert (check.verdict, "kartu palsu" in check.message) == (Verdict.UNKNOWN_KEY, True)


def test_an_expired_card_says_since_when(card):
    check = card_verify(payload=card.payload, now=NOW + timedelta(days=7))
    assert (check.verdict, check.message) == (Verdict.EXPIRED, "Kartu sudah kedaluwarsa sejak 2026-12-03T03:00:00Z.")


def test_a_card_issued_in_the_future_is_refused(card):
    assert card_verify(payload=card.payload, now=NOW - timedelta(hours=1)).verdict == Verdict.NOT_YET_VALID
    assert card_verify(payload=card.payload, now=NOW - timedelta(minutes=4)).verdict == Verdict.VALID


@pytest.mark.parametrize(
    "payload",
    ["", "hello", "SALDO1.abc", "SALDO2.e30.AAAA", "SALDO1.!!!.AAAA", "SALDO1.e30.AAAA",
     "SALDO1." + b64url(b'{"kpj": "1"}') + ".AAAA"],
    ids=["empty", "text", "two-parts", "other-version", "not-base64", "empty-claims", "not-canonical"],
)
def test_anything_else_is_not_a_card(payload):
    assert card_verify(payload=payload, now=NOW).verdict in (Verdict.MALFORMED, Verdict.UNKNOWN_KEY)


def test_a_signed_payload_with_missing_claims_is_malformed():
    ring = key_ring()
    payload = sign({"kid": ring.kid, "kpj": "68516716147"}, private_key=ring.private_key)
    assert card_verify(payload=payload, now=NOW).verdict == Verdict.MALFORMED


def test_a_checker_elsewhere_verifies_with_the_published_key_alone(card):
    [published] = card_public_keys()
    public_key = public_from_text(published.public_key)
    assert card_verify(payload=card.payload, now=NOW, public_keys=[public_key]).valid
    assert public_raw(public_from_text(published.pem)) == public_raw(public_key)  # the same key as PEM
    other = Ed25519PrivateKey.generate().public_key()
    assert card_verify(payload=card.payload, now=NOW, public_keys=[other]).verdict == Verdict.UNKNOWN_KEY


def test_the_key_file_is_made_once_private_and_reused(card_key_file):
    first = key_ring().kid
    assert stat.S_IMODE(card_key_file.stat().st_mode) == 0o600
    assert card_key_file.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    _key_ring.cache_clear()  # as a restarted worker: reads the file, makes no new key
    assert key_ring().kid == first


def test_a_key_from_the_environment_wins_over_the_file(settings, card_key_file):
    seed = Ed25519PrivateKey.generate()
    raw = seed.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    settings.SALDO_API = {**settings.SALDO_API, "CARD_SIGNING_KEY": base64.b64encode(raw).decode()}
    assert key_ring().kid == key_id(seed.public_key())
    assert not card_key_file.exists()


def test_cards_signed_before_a_key_rotation_verify_until_they_expire(settings, card):
    old_public = card_public_keys()[0].public_key
    settings.SALDO_API = {
        **settings.SALDO_API,
        "CARD_KEY_FILE": settings.SALDO_API["CARD_KEY_FILE"].with_name("new-key.pem"),
        "CARD_OLD_PUBLIC_KEYS": [old_public],
    }
    assert card_verify(payload=card.payload, now=NOW).valid
    assert [(k.public_key == old_public, k.current) for k in card_public_keys()] == [(False, True), (True, False)]


def test_the_qr_code_holds_the_payload(card):
    assert qr_png_data_uri(card.payload).startswith("data:image/png;base64,")
    assert qr_svg(card.payload).startswith("<svg")


# --- saldo verify-card ---------------------------------------------------------------------------


def test_verify_card_prints_the_card_of_a_genuine_payload(card, capsys):
    call_command("verify_card", card.payload, "--at", "2026-11-27T10:00+07:00")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Kartu sah.",
        "KPJ: 68516716147",
        "Nama: NENG KURNIASIH",
        "Status: aktif",
        "Diterbitkan: 2026-11-26T03:00:00Z",
        "Berlaku sampai: 2026-12-03T03:00:00Z",
    ]


@pytest.mark.parametrize(
    ("tamper", "why"),
    [
        ("altered", "Tanda tangan tidak cocok dengan isi kartu: kartu dipalsukan atau isinya diubah."),
        ("forged", "kartu palsu"),
        ("expired", "Kartu sudah kedaluwarsa sejak 2026-12-03T03:00:00Z."),
        ("garbage", "Bukan kartu digital Saldo: formatnya tidak dikenali."),
    ],
)
def test_verify_card_says_why_a_card_fails_and_exits_1(card, tamper, why):
    claims, _prefix, signature = parts(card.payload)
    at = "2026-11-27T10:00+07:00"
    if tamper == "altered":
        payload = f"SALDO1.{b64url(canonical_json({**claims, 'kpj': '99999999999'}))}.{signature}"
    elif tamper == "forged":
        forger = Ed25519PrivateKey.generate()
        payload = resigned({**claims, "kid": key_id(forger.public_key())}, forger)
    elif tamper == "expired":
        payload, at = card.payload, "2026-12-10T00:00+07:00"
    else:
        payload = "not a card"
    with pytest.raises(CommandError) as failed:
        call_command("verify_card", payload, "--at", at)
    assert failed.value.returncode == 1
    assert str(failed.value).startswith("Kartu TIDAK sah: ") and why in str(failed.value)


def test_verify_card_checks_against_a_given_public_key_file(card, tmp_path):
    pem = tmp_path / "saldo-card.pub"
    pem.write_text(card_public_keys()[0].pem)
    call_command("verify_card", card.payload, "--public-key", str(pem), "--at", "2026-11-27T10:00+07:00")
    other = tmp_path / "other.pub"
    other.write_text(b64url(public_raw(Ed25519PrivateKey.generate().public_key())))
    with pytest.raises(CommandError, match="kunci yang tidak dikenal"):
        call_command("verify_card", card.payload, "--public-key", str(other), "--at", "2026-11-27T10:00+07:00")
    with pytest.raises(CommandError, match="bukan kunci publik Ed25519"):
        call_command("verify_card", card.payload, "--public-key", "not-a-key")


def test_verify_card_on_a_machine_without_a_card_key_asks_for_one_and_makes_none(card, settings, tmp_path):
    issuer_pem = tmp_path / "saldo-card.pub"
    issuer_pem.write_text(card_public_keys()[0].pem)
    elsewhere = tmp_path / "elsewhere" / "card-key.pem"
    settings.SALDO_API = {**settings.SALDO_API, "CARD_KEY_FILE": elsewhere}

    with pytest.raises(CommandError, match="belum punya kunci kartu") as refused:
        call_command("verify_card", card.payload, "--at", "2026-11-27T10:00+07:00")
    assert refused.value.returncode == 2
    assert not elsewhere.exists()
    call_command("verify_card", card.payload, "--public-key", str(issuer_pem), "--at", "2026-11-27T10:00+07:00")
    assert not elsewhere.exists()
