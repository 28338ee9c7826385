"""The SNAP adapter against a bank that speaks SNAP (snap_stand_in.py, a real HTTP server on
127.0.0.1): the access token signed with our RSA key, the inquiry signed with the client secret,
and every way the answer can go wrong ending in one of our errors."""

import json
import logging
import re
import socket
import time

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from saldo.banking.errors import AccountNotFound, InquiryRefused, InquiryUnavailable
from saldo.banking.port import AccountHolder
from saldo.banking.snap import SnapAccountInquiry
from tests.banking.snap_stand_in import EXTERNAL_PATH, INTERNAL_PATH, OWN_BANK_CODE, PREFIX, TOKEN_PATH

NUMBER = "1234567890"
UNAVAILABLE = "Bank tidak dapat dihubungi untuk memeriksa rekening. Silakan coba lagi nanti."


class Clock:
    """Seconds that pass only when the test says so (the token's lifetime)."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def adapter(bank, clock=None, **config) -> SnapAccountInquiry:
    """A fresh adapter (its own token cache) for the stand-in bank."""
    return SnapAccountInquiry(bank.config(**config), clock=clock or Clock())


def ask(snap, number=NUMBER, bank_code="014") -> AccountHolder:
    return snap.account_holder(bank_code=bank_code, account_number=number)


# --- the holder ---------------------------------------------------------------------------------


def test_the_bank_names_the_holder(bank):
    bank.open("SITI  AMINAH ")
    holder = ask(adapter(bank))
    assert (holder.name, holder.bank_code, holder.account_number) == ("SITI AMINAH", "014", NUMBER)
    assert re.fullmatch(r"\d{12}", holder.reference)  # the bank's referenceNo
    assert [(r.path, r.status, r.response_code) for r in bank.requests] == [
        (PREFIX + TOKEN_PATH, 200, "2007300"),
        (PREFIX + EXTERNAL_PATH, 200, "2001600"),
    ]


def test_the_requests_carry_what_snap_asks_for(bank):
    bank.open("SITI AMINAH")
    ask(adapter(bank))
    token, inquiry = bank.requests
    assert json.loads(token.body) == {"grantType": "client_credentials"}
    assert token.headers["x-client-key"] == bank.client_key
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", token.headers["x-timestamp"])
    reference = json.loads(inquiry.body)["partnerReferenceNo"]
    assert re.fullmatch(r"\d{32}", reference)
    assert inquiry.body.decode() == (  # minified, as it was signed
        f'{{"partnerReferenceNo":"{reference}","beneficiaryAccountNo":"1234567890","beneficiaryBankCode":"014"}}'
    )
    assert inquiry.headers["authorization"].startswith("Bearer ")
    assert (inquiry.headers["x-partner-id"], inquiry.headers["channel-id"]) == (bank.partner_id, bank.channel_id)
    assert re.fullmatch(r"\d{1,36}", inquiry.headers["x-external-id"])
    assert inquiry.headers["content-type"] == "application/json"


def test_an_account_at_the_banks_own_bank_is_asked_through_the_internal_inquiry(bank):
    bank.open("SITI AMINAH", bank_code=OWN_BANK_CODE)
    holder = ask(adapter(bank), bank_code=OWN_BANK_CODE)
    assert holder.name == "SITI AMINAH"
    inquiry = bank.inquiries()[0]
    assert (inquiry.path, inquiry.response_code) == (PREFIX + INTERNAL_PATH, "2001500")
    assert "beneficiaryBankCode" not in json.loads(inquiry.body)


def test_an_unknown_account_is_not_found(bank):
    with pytest.raises(AccountNotFound) as refused:
        ask(adapter(bank), number="9999999999")
    assert refused.value.code == "bank_account_not_found"
    assert refused.value.message == (
        "Nomor rekening tidak ditemukan di bank yang dipilih. Periksa lagi bank dan nomor rekening."
    )
    assert (bank.inquiries()[0].status, bank.inquiries()[0].response_code) == (404, "4041611")


def test_an_inactive_account_cannot_be_paid_into(bank):
    bank.open("SITI AMINAH", inactive=True)
    with pytest.raises(AccountNotFound) as refused:
        ask(adapter(bank))
    assert refused.value.code == "bank_account_inactive"


# --- the bank cannot be asked now ---------------------------------------------------------------


def test_a_bank_slower_than_the_timeout_is_try_again_later(bank):
    bank.open("SITI AMINAH")
    snap = adapter(bank, TIMEOUT_SECONDS=0.3)
    ask(snap)  # the token, while the bank is quick
    bank.delay = 10
    started = time.monotonic()
    with pytest.raises(InquiryUnavailable) as refused:
        ask(snap)
    assert time.monotonic() - started < 3
    assert (refused.value.code, refused.value.message) == ("bank_unavailable", UNAVAILABLE)


@pytest.mark.parametrize("status", [500, 503, 504, 429])
def test_a_bank_that_fails_is_try_again_later(bank, status):
    bank.open("SITI AMINAH")
    snap = adapter(bank)
    ask(snap)
    bank.fail_status = status
    with pytest.raises(InquiryUnavailable) as refused:
        ask(snap)
    assert refused.value.detail == f"HTTP {status}"


def test_a_bank_that_cannot_be_reached_is_try_again_later(bank):
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(InquiryUnavailable):
        ask(adapter(bank, BASE_URL=f"http://127.0.0.1:{port}/snap"))


# --- refused: our signature, the bank's answer, our configuration -------------------------------


def test_a_token_request_signed_with_another_key_is_refused(bank):
    bank.open("SITI AMINAH")
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(InquiryRefused) as refused:
        ask(adapter(bank, PRIVATE_KEY=bank.private_key_pem(other)))
    assert (refused.value.code, refused.value.message) == ("bank_inquiry_refused", UNAVAILABLE)
    assert [(r.status, r.response_code) for r in bank.requests] == [(401, "4017300")]


def test_an_inquiry_signed_with_another_secret_is_refused(bank):
    bank.open("SITI AMINAH")
    with pytest.raises(InquiryRefused) as refused:
        ask(adapter(bank, CLIENT_SECRET="not-the-secret"))
    assert refused.value.code == "bank_inquiry_refused"
    assert [(r.status, r.response_code) for r in bank.requests] == [(200, "2007300"), (401, "4011600")]


def test_an_answer_that_is_not_snap_is_refused(bank):
    bank.open("SITI AMINAH")
    snap = adapter(bank)
    ask(snap)
    bank.garbage = True
    with pytest.raises(InquiryRefused) as refused:
        ask(snap)
    assert refused.value.code == "bank_answer_invalid"
    with pytest.raises(InquiryRefused) as refused:
        ask(adapter(bank))  # a new adapter: the token request is answered with garbage too
    assert refused.value.code == "bank_answer_invalid"


@pytest.mark.parametrize(
    "config",
    [{"BASE_URL": ""}, {"CLIENT_SECRET": ""}, {"PRIVATE_KEY": ""}, {"PRIVATE_KEY": "/nonexistent/key.pem"},
     {"PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----"},
     {"BASE_URL": "http://bank.example.com/snap"}],
)  # fmt: skip
def test_a_configuration_that_cannot_work_is_refused_before_anything_is_sent(bank, config):
    with pytest.raises(InquiryRefused) as refused:
        ask(adapter(bank, **config))
    assert refused.value.code == "bank_not_configured"
    assert bank.requests == []


def test_the_private_key_may_be_a_file(bank, tmp_path):
    bank.open("SITI AMINAH")
    key_file = tmp_path / "snap-key.pem"
    key_file.write_text(bank.private_key_pem())
    assert ask(adapter(bank, PRIVATE_KEY=str(key_file))).name == "SITI AMINAH"


# --- the access token ---------------------------------------------------------------------------


def test_the_access_token_is_kept_for_its_lifetime(bank):
    bank.open("SITI AMINAH")
    clock = Clock()
    snap = adapter(bank, clock)
    ask(snap)
    clock.now += 839  # expiresIn 900, renewed a minute early
    ask(snap)
    assert len(bank.token_requests()) == 1
    tokens = {r.headers["authorization"] for r in bank.inquiries()}
    assert len(tokens) == 1
    clock.now += 2
    ask(snap)
    assert len(bank.token_requests()) == 2
    assert len({r.headers["authorization"] for r in bank.inquiries()}) == 2


def test_a_token_the_bank_no_longer_knows_is_renewed_once(bank):
    bank.open("SITI AMINAH")
    snap = adapter(bank)
    ask(snap)
    bank.revoke_tokens()
    assert ask(snap).name == "SITI AMINAH"
    assert [(r.path.removeprefix(PREFIX), r.response_code) for r in bank.requests] == [
        (TOKEN_PATH, "2007300"), (EXTERNAL_PATH, "2001600"),
        (EXTERNAL_PATH, "4011601"), (TOKEN_PATH, "2007300"), (EXTERNAL_PATH, "2001600"),
    ]  # fmt: skip


def test_a_short_lived_token_is_asked_for_again(bank):
    bank.open("SITI AMINAH")
    bank.token_lifetime = 1
    clock = Clock()
    snap = adapter(bank, clock)
    ask(snap)
    clock.now += 0.6  # past half its lifetime
    ask(snap)
    assert len(bank.token_requests()) == 2


# --- what is logged -----------------------------------------------------------------------------


def test_neither_the_account_number_nor_the_token_is_logged(bank, caplog):
    caplog.set_level(logging.DEBUG, logger="saldo.banking")
    bank.open("SITI AMINAH")
    snap = adapter(bank)
    ask(snap)
    with pytest.raises(AccountNotFound):
        ask(snap, number="9876543210")
    bank.fail_status = 503
    with pytest.raises(InquiryUnavailable):
        ask(snap)
    token = bank.inquiries()[0].headers["authorization"].removeprefix("Bearer ")
    assert "****7890" in caplog.text and "****3210" in caplog.text
    for secret in (NUMBER, "9876543210", token, bank.client_secret):
        assert secret not in caplog.text
