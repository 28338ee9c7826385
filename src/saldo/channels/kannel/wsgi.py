"""Kannel's callbacks answered at the WSGI layer, in front of Django (saldo.wsgi).

Kannel calls the inbound URL once for every SMS and must be answered before its http-timeout.
Django's handler builds an HttpRequest and an HttpResponse around every request and runs them
through the middleware; for this caller, whose request is a query string, three headers and a
short body, that costs about as much CPU as answering the SMS itself (its content type alone,
`text/plain; charset="UTF-8"`, makes the request parse the query string twice). Here the
views' own answers (views.inbound_answer, views.dlr_answer) are called with the WSGI environ.

What Django's handler did that still happens here: request_started and request_finished (the
database connections are closed when unusable or past CONN_MAX_AGE), the Host header checked
against ALLOWED_HOSTS (400), GET and POST only (405), the reply in the site's default language,
Content-Length, and an error logged as Django logs it ("Internal Server Error", 500, after
got_request_exception) so that Kannel retries. The browser middleware is skipped as before
(middleware.py, which does the same for these views when Django's handler serves them).
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus

from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.core.handlers.wsgi import get_script_name
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
        signals.request_started.send(sender=KannelHandler, environ=environ)
        try:
            status, headers, body = _answered(route, environ)
        except BaseException:
            signals.request_finished.send(sender=KannelHandler)
            raise
        start_response(status, headers)
        return _Finishing(body)

    return application


class KannelHandler:
    """The sender of request_started and request_finished for these requests."""


def _routes() -> dict[str, Callable[[dict], Answer]]:
    prefix = len(get_script_prefix()) - 1  # reverse() puts SCRIPT_NAME in front; PATH_INFO has none
    return {
        reverse("kannel-inbound")[prefix:]: lambda environ: inbound_answer(environ, _body(environ), now=timezone.now()),
        reverse("kannel-dlr")[prefix:]: lambda environ: dlr_answer(environ, now=timezone.now()),
    }


def _answered(route: Callable[[dict], Answer], environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    request = HttpRequest()  # for get_host(), which reads nothing but META and settings
    request.META, request.method = environ, environ.get("REQUEST_METHOD", "")
    request.path = request.path_info = environ.get("PATH_INFO", "")
    try:
        request.get_host()
    except DisallowedHost as exc:
        security_logger.error(str(exc), extra={"status_code": 400, "request": request})
        return _plain(400, "bad request")
    if request.method not in METHODS:
        request_logger.warning("Method Not Allowed (%s): %s", request.method, request.path)
        return _plain(405, "", [("Allow", ", ".join(METHODS))])
    try:
        with translation.override(settings.LANGUAGE_CODE):
            answer = route(environ)
    except RequestDataTooBig:
        return _plain(400, "request body too large")
    except Exception:
        signals.got_request_exception.send(sender=None, request=request)
        request_logger.error(
            "Internal Server Error: %s", request.path, exc_info=True, extra={"status_code": 500, "request": request}
        )
        return _plain(500, "server error")
    return _plain(answer.status, answer.text)


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
    """The body, and request_finished once the server has written it (when it calls close(),
    as Django's response does)."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def __iter__(self) -> Iterator[bytes]:
        yield self._body

    def close(self) -> None:
        signals.request_finished.send(sender=KannelHandler)
