from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from saldo.identity.accounts import LoginLocked, LoginRefused, LoginSlowed, login_pin_send
from saldo.identity.pins import PinError
from saldo.identity.services import AccessFrozen
from saldo.portal import access
from saldo.portal.forms import LoginForm, LoginPinRequestForm, LoginWithPinForm
from saldo.portal.services import browser_login_notice, login_submit, login_with_pin_submit
from saldo.portal.throttle import TooManyAttempts

BACKEND = "django.contrib.auth.backends.ModelBackend"
LOGIN_PIN_EMAIL = "login_pin_email"
# A browser the account logged in from before (signed: the account id); a new one is told to the member.
DEVICE_COOKIE = "saldo_perangkat"
DEVICE_COOKIE_AGE = 365 * 24 * 3600


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if access.member_account(request) is not None:
        return redirect(next_url or "portal:services")
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account = login_submit(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                client=access.client_address(request),
                now=timezone.now(),
            )
        except LoginSlowed as slowed:
            form.add_error(None, slowed.message)
            return render(request, "portal/login.html", {"form": form, "next": next_url, "pin_way": True})
        except (LoginRefused, LoginLocked, AccessFrozen, TooManyAttempts) as refused:
            form.add_error(None, refused.message)
        else:
            return _logged_in(request, account, next_url or "portal:services")
    return render(request, "portal/login.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def login_pin_request(request: HttpRequest) -> HttpResponse:
    """The way in while failed log-ins slow an email down: a PIN to the phone on record."""
    form = LoginPinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        login_pin_send(email=email, now=timezone.now())
        request.session[LOGIN_PIN_EMAIL] = email
        messages.success(request, _("Jika email ini punya akun, PIN sudah dikirim ke ponsel tercatat."))
        return redirect("portal:login-pin-enter")
    return render(request, "portal/login_pin.html", {"form": form, "step": 1})


@require_http_methods(["GET", "POST"])
def login_pin_enter(request: HttpRequest) -> HttpResponse:
    email = request.session.get(LOGIN_PIN_EMAIL)
    if not email:
        return redirect("portal:login-pin")
    form = LoginWithPinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = login_with_pin_submit(email=email, pin=form.cleaned_data["pin"],
                                            password=form.cleaned_data["password"],
                                            client=access.client_address(request), now=timezone.now())
        except PinError as wrong:
            form.add_error("pin", wrong.message)
        except (LoginRefused, LoginLocked, AccessFrozen, TooManyAttempts) as refused:
            form.add_error(None, refused.message)
        else:
            return _logged_in(request, account, "portal:services")
    return render(request, "portal/login_pin.html", {"form": form, "step": 2})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)  # the whole session goes, Cek Saldo unlock included
    messages.success(request, _("Anda sudah keluar."))
    return redirect("portal:login")


def _logged_in(request: HttpRequest, account, to: str) -> HttpResponse:
    """Log in (a new session key: no fixation), telling the member of a browser new to the account."""
    known = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_COOKIE) == str(account.id)
    browser_login_notice(account=account, known=known, user_agent=request.headers.get("User-Agent", ""),
                         now=timezone.now())
    login(request, account.user, backend=BACKEND)
    response = redirect(to)
    response.set_signed_cookie(DEVICE_COOKIE, str(account.id), salt=DEVICE_COOKIE, max_age=DEVICE_COOKIE_AGE,
                               httponly=True, secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")
    return response


def _safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return ""
