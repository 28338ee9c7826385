"""Every error as application/problem+json (RFC 9457): type, title, status, detail, plus the
stable `code` of saldo.core.errors and the invalid `errors`, in the language asked for."""

import json
import logging
import math

from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from saldo.api.ratelimit import RateLimited
from saldo.api.schemas import Problem, ProblemField
from saldo.api.services import ChallengeRefused, TokenRefused
from saldo.banking.errors import InquiryFailed
from saldo.claims.errors import ClaimAlreadyOpen, ClaimStateError, DocumentsRejected, NotEligible
from saldo.core.errors import IdempotencyConflict, NotFound, SaldoError, ValidationError
from saldo.core.throttle import TooManyAttempts
from saldo.identity.accounts import LoginLocked, LoginRefused, LoginSlowed
from saldo.identity.contacts import ContactChangeOpen
from saldo.identity.pins import PinRateLimited, PinWrong
from saldo.identity.services import AccessFrozen, ContactNotOnRecord, NoPhoneOnRecord, RegistrationLocked
from saldo.merging.services import MergeRefused

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"

# Most specific first: the first class an error is an instance of gives its status.
_STATUS = [
    ((RateLimited, TooManyAttempts, PinRateLimited, LoginLocked, LoginSlowed, RegistrationLocked), 429),
    ((TokenRefused, ChallengeRefused, LoginRefused), 401),
    ((AccessFrozen,), 403),
    ((NotFound,), 404),
    ((ContactNotOnRecord, NoPhoneOnRecord, ContactChangeOpen, IdempotencyConflict, MergeRefused), 409),
    ((ClaimAlreadyOpen, ClaimStateError, NotEligible), 409),  # the member's or the claim's state forbids it
    ((InquiryFailed,), 503),  # the bank could not be asked who holds the account: try again later
    ((SaldoError,), 422),  # validation, registration refused, PIN wrong / expired / exhausted, other rules
]


def _titles() -> dict[int, str]:
    return {
        400: _("Permintaan tidak bisa dibaca"),
        401: _("Perlu masuk"),
        403: _("Tidak diizinkan"),
        404: _("Tidak ditemukan"),
        409: _("Bertentangan dengan data yang ada"),
        422: _("Data tidak bisa diproses"),
        429: _("Terlalu banyak permintaan"),
        500: _("Kesalahan pada server"),
        503: _("Layanan sedang tidak tersedia"),
    }


def problem_response(
    *, status: int, code: str, detail: str, errors: list[ProblemField] | None = None, retry_after: int | None = None,
    remaining: int | None = None,
) -> HttpResponse:
    problem = Problem(
        type=f"urn:saldo:problem:{code}",
        title=_titles().get(status, ""),
        status=status,
        detail=detail,
        code=code,
        errors=errors or [],
        retry_after=retry_after,
        remaining=remaining,
    )
    body = problem.model_dump()
    for error in body["errors"]:
        if error["code"] is None:  # only problems with a code of their own carry one
            del error["code"]
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE)
    response["Content-Language"] = translation.get_language() or "id"
    response["Cache-Control"] = "no-store"
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="saldo"'
    return response


def saldo_error(request: HttpRequest, exc: SaldoError) -> HttpResponse:
    status = next(code for classes, code in _STATUS if isinstance(exc, classes))
    return problem_response(
        status=status,
        code=exc.code,
        detail=exc.message,
        errors=_fields(exc),
        retry_after=_retry_after(exc),
        remaining=exc.remaining if isinstance(exc, PinWrong) else None,
    )


def _fields(exc: SaldoError) -> list[ProblemField]:
    """One entry per problem: each upload refused and each unmet claim condition with its own code."""
    if isinstance(exc, DocumentsRejected):
        return [ProblemField(field=p.field, message=p.message, code=p.code) for p in exc.problems]
    if isinstance(exc, NotEligible):
        return [ProblemField(field="reason", message=c.message, code=c.code) for c in exc.eligibility.conditions]
    if isinstance(exc, ValidationError):
        return [ProblemField(field=e.field, message=e.message) for e in exc.errors]
    return []


def _retry_after(exc: SaldoError) -> int | None:
    if isinstance(exc, RateLimited):
        return exc.retry_after
    until = getattr(exc, "retry_at", None) or getattr(exc, "until", None)
    if until is None:
        return None
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        status=401, code="unauthorized", detail=_("Token akses tidak ada, salah, kedaluwarsa atau sudah dicabut.")
    )


def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [ProblemField(field=_field(e.get("loc", ())), message=_message(e)) for e in exc.errors]
    return problem_response(
        status=422, code="invalid", detail=_("Ada data yang tidak valid."), errors=errors
    )


def _field(loc) -> str:
    names = [str(part) for part in loc if not isinstance(part, int)]
    return names[-1] if names else ""


def _message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("wajib diisi")
    if kind.startswith("string_pattern") or kind in ("literal_error", "enum"):
        return _("formatnya tidak sesuai")
    if kind in ("string_too_short", "string_too_long"):
        return _("panjangnya tidak sesuai")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("harus tanggal YYYY-MM-DD")
    if kind.startswith("int") or kind.startswith("float"):
        return _("harus bilangan bulat")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return _("di luar rentang yang diizinkan")
    return _("nilai tidak valid")


def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # a body that is not JSON, or not an object
        return problem_response(status=400, code="bad_request", detail=_("Isi permintaan bukan JSON yang valid."))
    return problem_response(status=exc.status_code, code="http_error", detail=str(exc))


def unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A multipart body Django cannot parse, or one over its limits on size, fields or files."""
    log.warning("API %s %s: unreadable body (%s)", request.method, request.path, type(exc).__name__)
    return problem_response(status=400, code="bad_request", detail=_("Isi permintaan tidak bisa dibaca."))


def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(status=404, code="not_found", detail=_("Alamat ini tidak ada di API."))


def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged with its traceback for operators; the client learns nothing about the inside.
    log.error("API %s %s failed", request.method, request.path, exc_info=exc)
    return problem_response(status=500, code="server_error", detail=_("Terjadi kesalahan pada server."))


def install(api) -> None:
    api.add_exception_handler(SaldoError, saldo_error)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(NinjaValidationError, invalid_input)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(MultiPartParserError, unreadable)
    api.add_exception_handler(SuspiciousOperation, unreadable)
    api.add_exception_handler(Exception, server_error)


def errors(*statuses: int) -> dict[int, type[Problem]]:
    """The error responses an operation declares: `response={200: X, **errors(401, 404)}`."""
    return dict.fromkeys(statuses, Problem)
