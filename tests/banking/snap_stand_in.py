"""A real HTTP server on 127.0.0.1 standing in for a bank's SNAP (Bank Indonesia's Standar
Nasional Open API Pembayaran) endpoints, written from the published calls, not from our client:

    POST /snap/v1.0/access-token/b2b           X-CLIENT-KEY, X-TIMESTAMP, X-SIGNATURE (SHA256withRSA
                                               over clientKey|timestamp, checked with our public key)
    POST /snap/v1.0/account-inquiry-external   Bearer token, X-PARTNER-ID, X-EXTERNAL-ID, CHANNEL-ID,
    POST /snap/v1.0/account-inquiry-internal   X-TIMESTAMP, X-SIGNATURE (HMAC-SHA512 with the client
                                               secret over POST:path:token:sha256(body):timestamp)

It answers from a table of accounts the test opens (`open`), with SNAP's responseCodes: 2007300
and 200xx00 success, 401xx00 a bad signature, 401xx01 an unknown or expired token, 404xx11 no
such account, 403xx18 an inactive one. A test can make it slow (`delay`), broken (`fail_status`),
or answer garbage (`garbage`). Every request is recorded (`requests`).
"""

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

PREFIX = "/snap"
TOKEN_PATH = "/v1.0/access-token/b2b"
EXTERNAL_PATH = "/v1.0/account-inquiry-external"
INTERNAL_PATH = "/v1.0/account-inquiry-internal"
OWN_BANK_CODE = "009"  # the bank behind the stand-in: its accounts go through the internal inquiry
BANK_NAMES = {"002": "BANK BRI", "008": "BANK MANDIRI", "009": "BANK BNI", "014": "BANK BCA", "451": "BANK BSI"}


@dataclass(frozen=True)
class SnapRequest:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    response_code: str


class StandInBank:
    def __init__(self):
        self.client_key = "SALDO-TEST-CLIENT"
        self.client_secret = secrets.token_urlsafe(32)
        self.partner_id = "SALDO01"
        self.channel_id = "95221"
        # Our key pair: the private half is in our settings, the public half registered here.
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public_key = self.private_key.public_key()
        self.url = ""
        self.tokens: dict[str, float] = {}  # token -> expiry (monotonic); kept across tests, as a bank would
        self._lock = threading.Lock()
        self.reset()

    # --- what a test arranges ------------------------------------------------------------------

    def reset(self) -> None:
        """No accounts, answering normally; anything held by `delay` is let go."""
        release = getattr(self, "_release", None)
        if release is not None:
            release.set()
        self._release = threading.Event()
        self.accounts: dict[tuple[str, str], str] = {}
        self.inactive: set[tuple[str, str]] = set()
        self.delay = 0.0
        self.fail_status: int | None = None
        self.garbage = False
        self.token_lifetime = 900
        self.requests: list[SnapRequest] = []
        self.external_ids: set[str] = set()

    def open(self, name: str, *, number: str = "1234567890", bank_code: str = "014", inactive: bool = False) -> None:
        key = (bank_code, "".join(c for c in number if c.isdigit()))
        self.accounts[key] = name
        if inactive:
            self.inactive.add(key)

    def revoke_tokens(self) -> None:
        with self._lock:
            self.tokens.clear()

    def private_key_pem(self, key: rsa.RSAPrivateKey | None = None) -> str:
        return (key or self.private_key).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()

    def config(self, **overrides) -> dict:
        """SALDO_BANK_INQUIRY for a SnapAccountInquiry that talks to this bank."""
        return {
            "ADAPTER": "saldo.banking.snap.SnapAccountInquiry",
            "BASE_URL": self.url,
            "CLIENT_KEY": self.client_key,
            "CLIENT_SECRET": self.client_secret,
            "PRIVATE_KEY": self.private_key_pem(),
            "PARTNER_ID": self.partner_id,
            "CHANNEL_ID": self.channel_id,
            "TIMEOUT_SECONDS": 5.0,
            "INTERNAL_BANK_CODE": OWN_BANK_CODE,
        } | overrides

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def token_requests(self) -> list[SnapRequest]:
        return [r for r in self.requests if r.path == PREFIX + TOKEN_PATH]

    def inquiries(self) -> list[SnapRequest]:
        return [r for r in self.requests if r.path != PREFIX + TOKEN_PATH]

    # --- what it answers -----------------------------------------------------------------------

    def token_answer(self, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        unauthorized = 401, {"responseCode": "4017300", "responseMessage": "Unauthorized. [Signature]"}
        client_key, timestamp = headers.get("x-client-key", ""), headers.get("x-timestamp", "")
        if client_key != self.client_key or not _fresh(timestamp):
            return 401, {"responseCode": "4017300", "responseMessage": "Unauthorized. [Client]"}
        try:
            signature = base64.b64decode(headers.get("x-signature", ""), validate=True)
            self.public_key.verify(signature, f"{client_key}|{timestamp}".encode(), padding.PKCS1v15(),
                                   hashes.SHA256())
        except (InvalidSignature, ValueError):
            return unauthorized
        if _json(body).get("grantType") != "client_credentials":
            return 400, {"responseCode": "4007302", "responseMessage": "Invalid Mandatory Field {grantType}"}
        token = secrets.token_urlsafe(48)
        with self._lock:
            self.tokens[token] = time.monotonic() + self.token_lifetime
        return 200, {"responseCode": "2007300", "responseMessage": "Successful", "accessToken": token,
                     "tokenType": "Bearer", "expiresIn": str(self.token_lifetime)}

    def inquiry_answer(self, path: str, service: str, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        if self.delay:
            self._release.wait(self.delay)
        if self.fail_status:
            return self.fail_status, {"responseCode": f"{self.fail_status}{service}00",
                                      "responseMessage": "General Error"}
        token = headers.get("authorization", "").removeprefix("Bearer ")
        with self._lock:
            valid = self.tokens.get(token, 0) > time.monotonic()
        if not valid:
            return 401, {"responseCode": f"401{service}01", "responseMessage": "Access Token Invalid"}
        timestamp, external_id = headers.get("x-timestamp", ""), headers.get("x-external-id", "")
        if headers.get("x-partner-id") != self.partner_id or headers.get("channel-id") != self.channel_id:
            return 401, {"responseCode": f"401{service}00", "responseMessage": "Unauthorized. [Unknown partner]"}
        if not _fresh(timestamp) or not (external_id.isdigit() and len(external_id) <= 36):
            return 400, {"responseCode": f"400{service}02", "responseMessage": "Invalid Mandatory Field"}
        with self._lock:
            if external_id in self.external_ids:
                return 409, {"responseCode": f"409{service}00", "responseMessage": "Conflict"}
            self.external_ids.add(external_id)
        request = _json(body)
        minified = json.dumps(request, separators=(",", ":"), ensure_ascii=False).encode()
        string_to_sign = f"POST:{path}:{token}:{hashlib.sha256(minified).hexdigest().lower()}:{timestamp}"
        expected = base64.b64encode(
            hmac.new(self.client_secret.encode(), string_to_sign.encode(), hashlib.sha512).digest()
        ).decode()
        if not hmac.compare_digest(expected, headers.get("x-signature", "")):
            return 401, {"responseCode": f"401{service}00", "responseMessage": "Unauthorized. [Signature]"}
        number = str(request.get("beneficiaryAccountNo", ""))
        bank_code = OWN_BANK_CODE if service == "15" else str(request.get("beneficiaryBankCode", ""))
        if not number or not bank_code:
            return 400, {"responseCode": f"400{service}02", "responseMessage": "Invalid Mandatory Field"}
        key = (bank_code[:3], number)
        if key not in self.accounts:
            return 404, {"responseCode": f"404{service}11", "responseMessage": "Invalid Account"}
        if key in self.inactive:
            return 403, {"responseCode": f"403{service}18", "responseMessage": "Inactive Account"}
        return 200, {
            "responseCode": f"200{service}00",
            "responseMessage": "Successful",
            "referenceNo": f"{secrets.randbelow(10**12):012d}",
            "partnerReferenceNo": request.get("partnerReferenceNo", ""),
            "beneficiaryAccountName": self.accounts[key],
            "beneficiaryAccountNo": number,
            "beneficiaryBankCode": bank_code,
            "beneficiaryBankName": BANK_NAMES.get(bank_code, "BANK"),
            "currency": "IDR",
        }


def _fresh(timestamp: str) -> bool:
    """yyyy-MM-ddTHH:mm:ss+07:00, within five minutes of now."""
    try:
        moment = datetime.fromisoformat(timestamp)
    except ValueError:
        return False
    return moment.tzinfo is not None and abs((datetime.now(UTC) - moment).total_seconds()) <= 300


def _json(body: bytes) -> dict:
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


_current: StandInBank | None = None


def current_bank() -> StandInBank:
    """The stand-in the running test suite talks to (tests/conftest.py starts it)."""
    assert _current is not None, "no SNAP stand-in running (tests/conftest.py starts one per session)"
    return _current


@contextmanager
def snap_stand_in() -> Iterator[StandInBank]:
    global _current
    bank = StandInBank()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            path = urlsplit(self.path).path
            headers = {name.lower(): value for name, value in self.headers.items()}
            route = path.removeprefix(PREFIX) if path.startswith(PREFIX + "/") else ""
            if route == TOKEN_PATH:
                status, answer = bank.token_answer(headers, data)
            elif route in (EXTERNAL_PATH, INTERNAL_PATH):
                service = "16" if route == EXTERNAL_PATH else "15"
                status, answer = bank.inquiry_answer(path, service, headers, data)
            else:
                status, answer = 404, {"responseCode": "4040000", "responseMessage": "Not Found"}
            bank.requests.append(SnapRequest(path, headers, data, status, answer.get("responseCode", "")))
            if bank.garbage:
                return self._answer(200, b"<html><body>Service temporarily moved</body></html>", "text/html")
            self._answer(status, json.dumps(answer).encode(), "application/json")

        def _answer(self, status: int, data: bytes, content_type: str):
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-TIMESTAMP", datetime.now(UTC).astimezone().isoformat(timespec="seconds"))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the timeout tests)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    bank.url = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    _current = bank
    try:
        yield bank
    finally:
        _current = None
        bank.reset()
        server.shutdown()
        server.server_close()
        thread.join()
