"""Kannel's callbacks answered at the WSGI layer, in front of Django (saldo.wsgi).

Kannel calls the inbound URL once for every SMS and must be answered before its http-timeout.
Django's handler builds an HttpRequest and an HttpResponse around every request and runs them
through the middleware; for this caller, whose request is a query string, three headers and a
short body, that costs about as much CPU as answering the SMS itself (its content type alone,
`text/plain; charset="UTF-8"`, makes the request parse the query string twice). Here the
views' own answers (views.inbound_answer, views.dlr_answer) are called with the WSGI environ.

What Django's handler did that still happens here: the database connections are closed when
unusable or past CONN_MAX_AGE, before and after the request; the Host header checked against
ALLOWED_HOSTS (400), GET and POST only (405), the reply in the site's default language,
Content-Length, and an error logged as Django logs it ("Internal Server Error", 500, after
got_request_exception) so that Kannel retries. The browser middleware is skipped as before
(middleware.py, which does the same for these views when Django's handler serves them).

request_started and request_finished are not sent: their receivers tidy the connections, which
is done here directly, and reset the query log, the caches' connections and the urlconf, which
these requests do not use. Sent, they cost about a tenth of the CPU of answering an SMS.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus

from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.core.handlers.wsgi import get_script_name
from django.core.signals import setting_changed
from django.db import connections
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils import timezone, translation

from saldo.channels.kannel.views import METHODS, PLAIN, Answer, dlr_answer, inbound_answer

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
request_logger = logging.getLogger("django.request")
security_logger = logging.getLogger("django.security.DisallowedHost")


def kannel_first(django_app: WSGIApp) -> WSGIApp:
    """`django_app`, with the paths of the Kannel callbacks answered here."""
    routes: dict[str, Callable[[dict], Answer]] = {}

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not routes:
            routes.update(_routes())
        route = routes.get(environ.get("PATH_INFO", ""))
        if route is None:
            return django_app(environ, start_response)
        set_script_prefix(get_script_name(environ))
        connections_tidy()
        try:
            status, headers, body = _answered(route, environ)
        except BaseException:
            connections_tidy()
            raise
        start_response(status, headers)
        return _Finishing(body)

    return application


def connections_tidy() -> None:
    """What close_old_connections does for Django's requests: close this thread's database
    connections that are unusable or past CONN_MAX_AGE, so that the next statement opens a new one.

    A connection inside a transaction is left alone. A server never starts a request inside one;
    a test that calls the application inside its own does, and the connection is the test's (for
    the same reason Django's test client keeps close_old_connections from running)."""
    for db in connections.all(initialized_only=True):
        if not db.in_atomic_block:
            db.close_if_unusable_or_obsolete()


def _routes() -> dict[str, Callable[[dict], Answer]]:
    prefix = len(get_script_prefix()) - 1  # reverse() puts SCRIPT_NAME in front; PATH_INFO has none
    return {
        reverse("kannel-inbound")[prefix:]: lambda environ: inbound_answer(environ, _body(environ), now=timezone.now()),
        reverse("kannel-dlr")[prefix:]: lambda environ: dlr_answer(environ, now=timezone.now()),
    }


def _answered(route: Callable[[dict], Answer], environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    disallowed = _host_refusal(environ)
    if disallowed is not None:
        security_logger.error(disallowed, extra={"status_code": 400, "request": _request(environ)})
        return _plain(400, "bad request")
    method = environ.get("REQUEST_METHOD", "")
    if method not in METHODS:
        request_logger.warning("Method Not Allowed (%s): %s", method, environ.get("PATH_INFO", ""))
        return _plain(405, "", [("Allow", ", ".join(METHODS))])
    try:
        answer = _in_site_language(route, environ)
    except RequestDataTooBig:
        return _plain(400, "request body too large")
    except Exception:
        request = _request(environ)
        signals.got_request_exception.send(sender=None, request=request)
        request_logger.error(
            "Internal Server Error: %s", request.path, exc_info=True, extra={"status_code": 500, "request": request}
        )
        return _plain(500, "server error")
    return _plain(answer.status, answer.text)


def _in_site_language(route: Callable[[dict], Answer], environ: dict) -> Answer:
    # A thread that served a page in English last has English active; switching costs two
    # activations, so only when it is needed.
    if translation.get_language() == settings.LANGUAGE_CODE:
        return route(environ)
    with translation.override(settings.LANGUAGE_CODE):
        return route(environ)


def _request(environ: dict) -> HttpRequest:
    """An HttpRequest for get_host() and the loggers, which read nothing but META, method and path."""
    request = HttpRequest()
    request.META, request.method = environ, environ.get("REQUEST_METHOD", "")
    request.path = request.path_info = environ.get("PATH_INFO", "")
    return request


# The host fields of an environ that HttpRequest.get_host() reads, and what it made of them: None
# when allowed, else its DisallowedHost message. Kannel sends the same Host on every request, and
# checking it costs about 30 µs, a twentieth of answering an SMS; the first few host values seen
# are remembered (a caller sending arbitrary Host headers only gets them checked every time).
_HOST_FIELDS = ("HTTP_X_FORWARDED_HOST", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "wsgi.url_scheme")
HOSTS_REMEMBERED = 16
_hosts_checked: dict[tuple, str | None] = {}


def _host_refusal(environ: dict) -> str | None:
    key = tuple(environ.get(name) for name in _HOST_FIELDS)
    if key in _hosts_checked:
        return _hosts_checked[key]
    try:
        _request(environ).get_host()
        refusal = None
    except DisallowedHost as exc:
        refusal = str(exc)
    if len(_hosts_checked) < HOSTS_REMEMBERED:
        _hosts_checked[key] = refusal
    return refusal


@receiver(setting_changed)
def _hosts_forget(**kwargs) -> None:
    # ALLOWED_HOSTS, DEBUG and USE_X_FORWARDED_HOST decide; settings change only in tests.
    _hosts_checked.clear()


def _plain(status: int, text: str, extra: Iterable[tuple[str, str]] = ()) -> tuple[str, list, bytes]:
    body = text.encode()
    headers = [("Content-Type", PLAIN), ("Content-Length", str(len(body))), *extra]
    return f"{status} {HTTPStatus(status).phrase}", headers, body


def _body(environ: dict) -> bytes:
    """The request body, as Django's request.body would read it (an SMS is never large)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0:
        return b""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
    return environ["wsgi.input"].read(length)


class _Finishing:
    """The body, and the connections tidied once the server has written it (when it calls
    close(), as it does for Django's response)."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def __iter__(self) -> Iterator[bytes]:
        yield self._body

    def close(self) -> None:
        connections_tidy()
