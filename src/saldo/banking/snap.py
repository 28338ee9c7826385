"""The default adapter: Bank Indonesia's SNAP (Standar Nasional Open API Pembayaran) account
inquiry, JSON over HTTPS.

1. B2B access token, `POST {BASE_URL}/v1.0/access-token/b2b` (service code 73):
       X-TIMESTAMP   yyyy-MM-ddTHH:mm:ss+07:00
       X-CLIENT-KEY  our client id
       X-SIGNATURE   base64(SHA256withRSA(private key, clientKey + "|" + X-TIMESTAMP))
       body          {"grantType":"client_credentials"}
   answered {"responseCode":"2007300","accessToken":…,"tokenType":"Bearer","expiresIn":"900"}.
   The token is kept for its lifetime (expiresIn seconds, 900 by default) less a minute, and
   asked for again sooner if the bank answers 401xx01 "Access Token Invalid" (one retry).
2. The inquiry, `POST {BASE_URL}/v1.0/account-inquiry-external` (service 16; to the fund's own
   bank, INTERNAL_BANK_CODE, `/v1.0/account-inquiry-internal`, service 15):
       Authorization "Bearer " + token, X-TIMESTAMP, X-PARTNER-ID, X-EXTERNAL-ID (numeric, unique
       per day), CHANNEL-ID, and
       X-SIGNATURE   base64(HMAC-SHA512(client secret, "POST:" + path + ":" + token + ":" +
                     lowercase(hex(SHA-256(minified body))) + ":" + X-TIMESTAMP))
       body          {"partnerReferenceNo":…,"beneficiaryAccountNo":…,"beneficiaryBankCode":"014"}
   answered {"responseCode":"2001600","referenceNo":…,"beneficiaryAccountName":…,
   "beneficiaryAccountNo":…,…}. `path` is the URL's path as sent, so a BASE_URL with a prefix
   (https://host/snap) signs /snap/v1.0/….

responseCode is HTTP status + service code + case code: 00 success, 401xx00 unauthorized
(signature, credentials: refused), 401xx01 access token invalid, 404xx11 invalid account (not
found), 403/404xx18 account inactive, 409xx01 duplicate reference, 5xx and 504xx00 timeout
(unavailable). A 429, a 5xx, a timeout or no connection is InquiryUnavailable; any other answer
that is not a holder (401/403, no JSON, no responseCode, no name) is InquiryRefused.

Sources relied on (2026): the SNAP pages of banks' and PSPs' developer portals that restate BI's
standard, since apidevportal.bi.go.id itself could not be read from here:
  - Midtrans, External Account Inquiry (docs.midtrans.com/reference/external-account-inquiry):
    service 16, the headers, beneficiaryBankCode/beneficiaryAccountNo, responseCode,
    responseMessage, referenceNo, beneficiaryAccountName (String(100)), beneficiaryAccountNo;
    and its SNAP error mapping (docs.midtrans.com/reference/error-mapping): 401XX00, 404XX11,
    403XX18, 500XX01/02.
  - Midtrans/SNAP-BI-Signature-Demo on GitHub (sample-code/b2b-access-token, sample-code/
    symmetricSignature): clientKey|timestamp signed SHA256withRSA (PKCS#1 v1.5), base64; the
    HMAC-SHA512 string to sign and the minified body.
  - Paydia, Access Token B2B (snap-docs.paydia.id): service 73, X-TIMESTAMP in GMT+7, X-CLIENT-KEY,
    grantType client_credentials; NICEPAY and PayCloud: expiresIn "900" (15 minutes).
  - Espay and Faspay, account-inquiry-external: partnerReferenceNo in the request, X-EXTERNAL-ID
    numeric and unique within the day; Finpay: account-inquiry-internal is service 15.
  - NICEPAY, general SNAP response codes: 401XX01 Access Token Invalid, 404XX11 Invalid Account,
    504XX00 Request Timeout.
Each bank publishes the same calls under its own BASE_URL (some with a prefix such as /snap or
/openapi) and some add fields in additionalInfo; check the bank's own page before going live.

Never logged: the token, the keys, the secret, the whole account number (****1234 is).
"""

import base64
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from saldo.banking.banks import account_masked
from saldo.banking.errors import AccountNotFound, InquiryRefused, InquiryUnavailable
from saldo.banking.port import AccountHolder

log = logging.getLogger(__name__)

JAKARTA = ZoneInfo("Asia/Jakarta")
TOKEN_SERVICE, INTERNAL_SERVICE, EXTERNAL_SERVICE = "73", "15", "16"
DEFAULT_TOKEN_SECONDS = 900
RENEW_EARLY_SECONDS = 60
MAX_ANSWER = 64 * 1024
MAX_NAME = 100


def snap_timestamp(moment: datetime | None = None) -> str:
    """X-TIMESTAMP: yyyy-MM-ddTHH:mm:ss+07:00 (Jakarta time). Read from the wall clock when the
    request is made: the bank checks it against its own."""
    return (moment or datetime.now(JAKARTA)).astimezone(JAKARTA).isoformat(timespec="seconds")


def asymmetric_signature(private_key: rsa.RSAPrivateKey, *, client_key: str, timestamp: str) -> str:
    """The access-token request's X-SIGNATURE: SHA256withRSA over clientKey|timestamp, base64."""
    signed = private_key.sign(f"{client_key}|{timestamp}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signed).decode("ascii")


def symmetric_signature(*, secret: str, method: str, path: str, token: str, body: bytes, timestamp: str) -> str:
    """A transactional call's X-SIGNATURE: HMAC-SHA512 with the client secret over
    METHOD:path:token:lowercase(hex(sha256(minified body))):timestamp, base64."""
    digest = hashlib.sha256(body).hexdigest().lower()
    string_to_sign = f"{method.upper()}:{path}:{token}:{digest}:{timestamp}"
    return base64.b64encode(hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha512).digest()).decode()


def minified(body: dict) -> bytes:
    """The JSON exactly as sent and signed: no whitespace between tokens."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def numeric_id(digits: int = 32) -> str:
    """X-EXTERNAL-ID and partnerReferenceNo: a random numeric string (unique within the day)."""
    return f"{secrets.randbelow(10**digits):0{digits}d}"


@dataclass
class _Token:
    value: str
    renew_at: float  # on the adapter's monotonic clock


@dataclass(frozen=True)
class _Answer:
    status: int
    body: dict
    code: str  # SNAP responseCode, "" when the answer had none


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A SNAP endpoint answers; it does not send us elsewhere (a redirect is refused)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class SnapAccountInquiry:
    """SALDO_BANK_INQUIRY: BASE_URL, CLIENT_KEY, CLIENT_SECRET, PRIVATE_KEY (PEM, or the path of a
    PEM file), PARTNER_ID (default the client key), CHANNEL_ID, TIMEOUT_SECONDS, and optionally
    TOKEN_PATH, EXTERNAL_PATH, INTERNAL_PATH, INTERNAL_BANK_CODE. `clock` (seconds, monotonic)
    times the token's lifetime."""

    def __init__(self, config: Mapping, *, clock: Callable[[], float] = time.monotonic):
        self.base_url = str(config.get("BASE_URL") or "").rstrip("/")
        self.client_key = str(config.get("CLIENT_KEY") or "")
        self.client_secret = str(config.get("CLIENT_SECRET") or "")
        self.private_key_source = str(config.get("PRIVATE_KEY") or "")
        self.partner_id = str(config.get("PARTNER_ID") or self.client_key)
        self.channel_id = str(config.get("CHANNEL_ID") or "")
        self.timeout = float(config.get("TIMEOUT_SECONDS") or 10)
        self.token_path = str(config.get("TOKEN_PATH") or "/v1.0/access-token/b2b")
        self.external_path = str(config.get("EXTERNAL_PATH") or "/v1.0/account-inquiry-external")
        self.internal_path = str(config.get("INTERNAL_PATH") or "/v1.0/account-inquiry-internal")
        self.internal_bank_code = str(config.get("INTERNAL_BANK_CODE") or "")
        self._clock = clock
        self._token: _Token | None = None
        self._token_lock = threading.Lock()
        self._private_key: rsa.RSAPrivateKey | None = None
        self._opener = urllib.request.build_opener(_NoRedirect)

    # --- the port ------------------------------------------------------------------------------

    def account_holder(self, *, bank_code: str, account_number: str, expected_name: str = "") -> AccountHolder:
        self._check_configured()
        internal = bool(self.internal_bank_code) and bank_code == self.internal_bank_code
        service, path = (INTERNAL_SERVICE, self.internal_path) if internal else (EXTERNAL_SERVICE, self.external_path)
        reference = numeric_id()
        body = {"partnerReferenceNo": reference, "beneficiaryAccountNo": account_number}
        if not internal:
            body["beneficiaryBankCode"] = bank_code
        where = f"{bank_code} {account_masked(account_number)}"
        for attempt in (1, 2):
            token = self._access_token()
            answer = self._inquire(path, body, token=token, where=where)
            if answer.status == 401 and answer.code == f"401{service}01" and attempt == 1:
                log.info("SNAP %s: access token no longer valid, asking for a new one", where)
                self._forget(token)
                continue
            break
        return self._holder(answer, service=service, bank_code=bank_code, account_number=account_number,
                            reference=reference, where=where)

    def _holder(self, answer: _Answer, *, service: str, bank_code: str, account_number: str, reference: str,
                where: str) -> AccountHolder:
        detail = f"HTTP {answer.status} {answer.code or '-'}"
        case = answer.code[5:] if answer.code[3:5] == service else ""
        if answer.status == 200 and answer.code == f"200{service}00":
            name = answer.body.get("beneficiaryAccountName")
            echoed = answer.body.get("beneficiaryAccountNo")
            bank_reference = answer.body.get("referenceNo")
            if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
                log.warning("SNAP %s: %s without a holder name", where, detail)
                raise InquiryRefused(code="bank_answer_invalid", detail=f"{detail}, no beneficiaryAccountName")
            if echoed is not None and "".join(c for c in str(echoed) if c.isdigit()) != account_number:
                log.warning("SNAP %s: %s names another account", where, detail)
                raise InquiryRefused(code="bank_answer_invalid", detail=f"{detail}, another beneficiaryAccountNo")
            log.debug("SNAP %s: holder found (%s)", where, detail)
            bank_reference = bank_reference if isinstance(bank_reference, str) and bank_reference else reference
            return AccountHolder(name=" ".join(name.split()), bank_code=bank_code, account_number=account_number,
                                 reference=bank_reference[:64])
        if 400 <= answer.status < 500 and case in ("11", "18"):
            log.info("SNAP %s: %s %s", where, detail, "inactive" if case == "18" else "no such account")
            raise AccountNotFound(inactive=case == "18", detail=detail)
        log.warning("SNAP %s: inquiry refused, %s %s", where, detail, _message(answer.body))
        raise InquiryRefused(detail=detail)

    # --- the access token ----------------------------------------------------------------------

    def _access_token(self) -> str:
        with self._token_lock:
            if self._token is not None and self._clock() < self._token.renew_at:
                return self._token.value
            self._token = None
            timestamp = snap_timestamp()
            headers = {
                "X-TIMESTAMP": timestamp,
                "X-CLIENT-KEY": self.client_key,
                "X-SIGNATURE": asymmetric_signature(self._key(), client_key=self.client_key, timestamp=timestamp),
            }
            answer = self._post(self.token_path, minified({"grantType": "client_credentials"}), headers,
                                where="access token")
            detail = f"HTTP {answer.status} {answer.code or '-'}"
            token = answer.body.get("accessToken")
            if answer.status != 200 or answer.code != f"200{TOKEN_SERVICE}00":
                log.warning("SNAP access token refused: %s %s", detail, _message(answer.body))
                raise InquiryRefused(detail=f"access token: {detail}")
            if not isinstance(token, str) or not token or len(token) > 4096:
                log.warning("SNAP access token: %s without a token", detail)
                raise InquiryRefused(code="bank_answer_invalid", detail=f"access token: {detail}, no accessToken")
            lifetime = _seconds(answer.body.get("expiresIn"))
            self._token = _Token(token, self._clock() + lifetime - min(RENEW_EARLY_SECONDS, lifetime / 2))
            return token

    def _forget(self, token: str) -> None:
        with self._token_lock:
            if self._token is not None and self._token.value == token:
                self._token = None

    # --- HTTP ----------------------------------------------------------------------------------

    def _inquire(self, path: str, body: dict, *, token: str, where: str) -> _Answer:
        data = minified(body)
        timestamp = snap_timestamp()
        signed_path = urllib.parse.urlsplit(self.base_url).path + path
        headers = {
            "Authorization": f"Bearer {token}",
            "X-TIMESTAMP": timestamp,
            "X-PARTNER-ID": self.partner_id,
            "X-EXTERNAL-ID": numeric_id(),
            "CHANNEL-ID": self.channel_id,
            "X-SIGNATURE": symmetric_signature(secret=self.client_secret, method="POST", path=signed_path,
                                               token=token, body=data, timestamp=timestamp),
        }
        return self._post(path, data, headers, where=where)

    def _post(self, path: str, data: bytes, headers: dict[str, str], *, where: str) -> _Answer:
        request = urllib.request.Request(
            self.base_url + path, data=data, method="POST",
            headers={**headers, "Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read(MAX_ANSWER)
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, _error_body(exc)
        except (TimeoutError, urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            log.warning("SNAP %s: bank not reached (%s)", where, type(reason).__name__)
            raise InquiryUnavailable(detail=f"{type(reason).__name__}") from None
        if status == 429 or status >= 500:
            log.warning("SNAP %s: bank answered HTTP %s", where, status)
            raise InquiryUnavailable(detail=f"HTTP {status}")
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        code = body.get("responseCode") if isinstance(body, dict) else None
        if not isinstance(code, str) or len(code) != 7 or not code.isdigit():
            log.warning("SNAP %s: HTTP %s, not a SNAP answer", where, status)
            raise InquiryRefused(code="bank_answer_invalid", detail=f"HTTP {status}, no responseCode")
        return _Answer(status=status, body=body, code=code)

    # --- configuration -------------------------------------------------------------------------

    def _check_configured(self) -> None:
        missing = [name for name, value in (("BASE_URL", self.base_url), ("CLIENT_KEY", self.client_key),
                                            ("CLIENT_SECRET", self.client_secret),
                                            ("PRIVATE_KEY", self.private_key_source),
                                            ("CHANNEL_ID", self.channel_id)) if not value]
        if missing:
            log.error("SNAP account inquiry not configured: SALDO_BANK_%s empty", ", SALDO_BANK_".join(missing))
            raise InquiryRefused(code="bank_not_configured", detail=f"missing {', '.join(missing)}")
        url = urllib.parse.urlsplit(self.base_url)
        if url.scheme != "https" and not (url.scheme == "http" and _loopback(url.hostname or "")):
            log.error("SNAP account inquiry: SALDO_BANK_BASE_URL must be https://")
            raise InquiryRefused(code="bank_not_configured", detail="BASE_URL is not https")

    def _key(self) -> rsa.RSAPrivateKey:
        if self._private_key is None:
            self._private_key = _private_key(self.private_key_source)
        return self._private_key


def _private_key(source: str) -> rsa.RSAPrivateKey:
    """PEM text (PKCS#8 or PKCS#1; "\\n" written out in an environment variable is a newline) or
    the path of a PEM file."""
    try:
        pem = source.replace("\\n", "\n").encode() if "-----BEGIN" in source else Path(source).read_bytes()
        key = serialization.load_pem_private_key(pem, password=None)
    except (OSError, ValueError, TypeError) as exc:
        log.error("SNAP account inquiry: SALDO_BANK_PRIVATE_KEY unreadable (%s)", type(exc).__name__)
        raise InquiryRefused(code="bank_not_configured", detail="private key unreadable") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        log.error("SNAP account inquiry: SALDO_BANK_PRIVATE_KEY is not an RSA key")
        raise InquiryRefused(code="bank_not_configured", detail="private key not RSA")
    return key


def _error_body(exc: urllib.error.HTTPError) -> bytes:
    """An error answer's body; none if it cannot be read (the status still says enough)."""
    try:
        return exc.read(MAX_ANSWER)
    except (OSError, http.client.HTTPException):
        return b""


def _seconds(value) -> int:
    """expiresIn: "900" or 900; 900 when absent or unreadable."""
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return DEFAULT_TOKEN_SECONDS
    return seconds if seconds > 0 else DEFAULT_TOKEN_SECONDS


def _message(body: dict) -> str:
    """The bank's responseMessage for the log, with any long number in it (an account) masked."""
    message = body.get("responseMessage")
    if not isinstance(message, str):
        return ""
    return re.sub(r"\d{5,}", lambda m: account_masked(m.group()), message[:150])


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
