"""Wrapping of every portal page: Bahasa Indonesia unless the member chose otherwise, a strict
Content-Security-Policy (every asset is our own; no script at all), and no caching of pages
that may show a balance or personal data (a shared phone's back button shows nothing)."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

CSP = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)


def portal_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        _language_activate(request)
        response = view(request, *args, **kwargs)
        response.headers.setdefault("Content-Security-Policy", CSP)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response

    return wrapped


def _language_activate(request: HttpRequest) -> None:
    """The language the member picked (cookie), else the site's default: not the browser's
    Accept-Language, so a phone set to English still opens in Bahasa Indonesia (issue 5)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    code = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    translation.activate(code)
    request.LANGUAGE_CODE = code
