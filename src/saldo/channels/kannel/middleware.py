"""Kannel's callbacks go straight to their views, past the site's other middleware, when
Django's handler serves them (the test client, runserver). Under gunicorn saldo.wsgi answers them
before Django's handler (kannel/wsgi.py), keeping what this keeps.

That middleware serves browsers: sessions, CSRF, flash messages, the visitor's language,
security headers. None of it means anything to Kannel, and together it costs about 0.45 ms of
CPU per request, as much as the rest of a /healthz request (measured with `saldo bench-sms`);
Kannel calls the inbound URL once for every SMS and must be answered before its http-timeout.

Listed first in settings.MIDDLEWARE. What the callbacks keep of what they skip: the Host header
is checked against ALLOWED_HOSTS, the reply is in the site's default language (LocaleMiddleware
would choose it from Accept-Language, which Kannel does not send; activating it here also keeps
out a language that a browser's request left on this thread), and the response carries its
Content-Length (CommonMiddleware's job). Routing stays in kannel/urls.py: the paths are looked
up there once.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, resolve, reverse
from django.utils import translation

View = Callable[[HttpRequest], HttpResponse]
DIRECT_ROUTES = ("kannel-inbound", "kannel-dlr")


def kannel_direct(get_response: View) -> View:
    views: dict[str, View] = {}

    def middleware(request: HttpRequest) -> HttpResponse:
        if not views:
            views.update(_views_by_path())
        view = views.get(request.path_info)
        if view is None:
            return get_response(request)
        request.get_host()  # DisallowedHost (400) for a Host not in ALLOWED_HOSTS
        with translation.override(settings.LANGUAGE_CODE):
            response = view(request)
        if not response.streaming:
            response.headers["Content-Length"] = str(len(response.content))
        return response

    return middleware


def _views_by_path() -> dict[str, View]:
    """path_info -> view for DIRECT_ROUTES, as the URLconf routes them."""
    prefix = len(get_script_prefix()) - 1  # reverse() puts SCRIPT_NAME in front; path_info has none
    paths = [reverse(name)[prefix:] for name in DIRECT_ROUTES]
    return {path: resolve(path).func for path in paths}
