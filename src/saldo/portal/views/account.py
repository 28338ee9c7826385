"""Layanan → Pengaturan akun: a new password, a new phone or email while the member still has the old
one (identity.account_settings: the password, a PIN to the phone on record, a PIN to the new
contact), the app's devices logged in, and the numbers bound to the member's cards.

The new contact being proven lives in the server-side session between the steps (never in a URL);
finishing, or starting another change, ends it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saldo.api.selectors import account_sessions
from saldo.api.services import device_revoke, sessions_revoke_all
from saldo.core.errors import NotFound, SaldoError, ValidationError
from saldo.identity.account_settings import (
    EMAIL,
    PHONE,
    ContactKind,
    account_binding_end,
    contact_change_confirm_new,
    contact_change_confirm_old,
    contact_change_start,
)
from saldo.identity.pins import PinError, PinWrong
from saldo.portal import access
from saldo.portal.forms import ContactPinForm, EmailChangeForm, PasswordChangeForm, PhoneChangeForm
from saldo.portal.services import CHANNEL, bindings_disclose, password_change_submit

# The contact change under way: {"kind": "phone" | "email", "value": what was typed, "step": "old" | "new"}.
CONTACT_CHANGE = "portal.account_contact_change"
START = {PHONE: "portal:account-phone", EMAIL: "portal:account-email"}
PIN_PAGE = {PHONE: "portal:account-phone-pin", EMAIL: "portal:account-email-pin"}


@require_GET
@access.member_required
def settings_page(request: HttpRequest) -> HttpResponse:
    account = request.account
    context = {
        "account": account,
        "devices": account_sessions(account_id=account.id),
        "bindings": bindings_disclose(account=account, now=timezone.now()),
    }
    return render(request, "portal/account.html", context)


@sensitive_post_parameters("current_password", "password", "password_again")
@require_http_methods(["GET", "POST"])
@access.member_required
def password_page(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change_submit(account=request.account, current_password=form.cleaned_data["current_password"],
                                   new_password=form.cleaned_data["password"],
                                   client=access.client_address(request), now=timezone.now())
        except ValidationError as refused:  # PasswordWrong included
            form.add_domain_errors(refused)
        except SaldoError as locked:  # ReauthLocked
            form.add_error(None, locked.message)
        else:
            update_session_auth_hash(request, request.account.user)  # this browser stays logged in
            messages.success(request, _("Kata sandi Anda sudah diganti. Perangkat lain sudah dikeluarkan."))
            return redirect("portal:account")
    return render(request, "portal/account_password.html", {"form": form})


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@access.member_required
def phone_page(request: HttpRequest) -> HttpResponse:
    return _contact_start(request, PHONE)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@access.member_required
def email_page(request: HttpRequest) -> HttpResponse:
    return _contact_start(request, EMAIL)


@sensitive_post_parameters("pin")
@require_http_methods(["GET", "POST"])
@access.member_required
def phone_pin_page(request: HttpRequest) -> HttpResponse:
    return _contact_pin(request, PHONE)


@sensitive_post_parameters("pin")
@require_http_methods(["GET", "POST"])
@access.member_required
def email_pin_page(request: HttpRequest) -> HttpResponse:
    return _contact_pin(request, EMAIL)


def _contact_start(request: HttpRequest, kind: ContactKind) -> HttpResponse:
    form_class = PhoneChangeForm if kind == PHONE else EmailChangeForm
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data[kind]
        try:
            sent = contact_change_start(account=request.account, kind=kind, value=value,
                                        password=form.cleaned_data["password"], channel=CHANNEL,
                                        now=timezone.now(), client=access.client_address(request))
        except ValidationError as refused:  # PasswordWrong included
            form.add_domain_errors(refused)
        except SaldoError as refused:  # ReauthLocked, NoPhoneOnRecord, PinRateLimited
            form.add_error(None, refused.message)
        else:
            request.session[CONTACT_CHANGE] = {"kind": kind, "value": value, "step": "old"}
            messages.success(request, _("PIN dikirim lewat SMS ke nomor tercatat %(phone)s.") % {
                "phone": sent.sent_to})
            return redirect(PIN_PAGE[kind])
    return render(request, "portal/account_contact.html", {"form": form, "kind": kind, "step": "start"})


def _contact_pin(request: HttpRequest, kind: ContactKind) -> HttpResponse:
    change = request.session.get(CONTACT_CHANGE)
    if not change or change["kind"] != kind:
        return redirect(START[kind])
    step = change["step"]
    form = ContactPinForm(request.POST if request.method == "POST" else None, mailed=kind == EMAIL and step == "new")
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        pin = form.cleaned_data["pin"]
        try:
            if step == "old":
                sent = contact_change_confirm_old(account=request.account, kind=kind, value=change["value"], pin=pin,
                                                  now=now)
            else:
                contact_change_confirm_new(account=request.account, kind=kind, value=change["value"], pin=pin,
                                           channel=CHANNEL, now=now)
        except PinWrong as wrong:
            form.add_error("pin", wrong.message)
        except ValidationError as taken:  # the new contact became someone else's meanwhile
            request.session.pop(CONTACT_CHANGE, None)
            messages.error(request, _("Perubahan tidak dapat diselesaikan: %(problem)s.") % {
                "problem": taken.errors[0].message})
            return redirect(START[kind])
        except PinError as dead:  # expired, tried too often, or too many asked for: start again
            request.session.pop(CONTACT_CHANGE, None)
            messages.error(request, dead.message)
            return redirect(START[kind])
        else:
            if step == "old":
                request.session[CONTACT_CHANGE] = {**change, "step": "new"}
                messages.success(request, _("PIN dikirim ke %(to)s.") % {"to": sent.sent_to})
                return redirect(PIN_PAGE[kind])
            request.session.pop(CONTACT_CHANGE, None)
            messages.success(request, _("Nomor ponsel tercatat sudah diganti.") if kind == PHONE
                             else _("Email tercatat sudah diganti. Mulai sekarang, masuk dengan email baru."))
            return redirect("portal:account")
    context = {"form": form, "kind": kind, "step": step, "minutes": settings.SALDO_PINS["VALID_MINUTES"]}
    return render(request, "portal/account_contact.html", context)


@require_POST
@access.member_required
def device_logout(request: HttpRequest) -> HttpResponse:
    try:
        device_revoke(account_id=request.account.id, device_id=request.POST.get("device_id", ""), now=timezone.now())
    except NotFound as gone:
        messages.error(request, gone.message)
    else:
        messages.success(request, _("Perangkat itu sudah dikeluarkan dari akun Anda."))
    return redirect("portal:account")


@require_POST
@access.member_required
def devices_logout_all(request: HttpRequest) -> HttpResponse:
    sessions_revoke_all(account_id=request.account.id, now=timezone.now())
    messages.success(request, _("Semua perangkat aplikasi sudah dikeluarkan dari akun Anda."))
    return redirect("portal:account")


@require_POST
@access.member_required
def binding_end(request: HttpRequest) -> HttpResponse:
    binding_id = request.POST.get("binding_id", "")
    try:
        if not (binding_id.isascii() and binding_id.isdigit()) or len(binding_id) > 18:
            raise NotFound(_("Nomor terdaftar tidak ditemukan."), code="binding_not_found")
        account_binding_end(account=request.account, binding_id=int(binding_id), channel=CHANNEL,
                            now=timezone.now())
    except NotFound as gone:
        messages.error(request, gone.message)
    else:
        messages.success(request, _("Nomor itu tidak terdaftar lagi untuk SMS dan WhatsApp."))
    return redirect("portal:account")
