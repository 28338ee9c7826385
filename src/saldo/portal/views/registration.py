from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from saldo.core.errors import ValidationError
from saldo.identity.accounts import account_activate
from saldo.identity.pins import PinError, PinRateLimited
from saldo.identity.services import (
    AccessFrozen,
    ContactNotOnRecord,
    NoPhoneOnRecord,
    RegistrationLocked,
    RegistrationRefused,
)
from saldo.portal import access
from saldo.portal.forms import ActivationForm, RegistrationForm
from saldo.portal.services import activation_pin_resend, registration_submit
from saldo.portal.throttle import TooManyAttempts


def refused_message() -> str:
    # One message for every mismatch: nothing says which field was wrong (issue 5, point 1).
    return _("Data yang Anda isi tidak cocok dengan data kepesertaan. Periksa kembali semua isian.")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if access.member_account(request) is not None:
        return redirect("portal:services")
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        contact_change = False
        try:
            started = registration_submit(
                registration=form.registration(), client=access.client_address(request), now=timezone.now()
            )
        except ValidationError as invalid:
            form.add_domain_errors(invalid)
        except RegistrationRefused:
            form.add_error(None, refused_message())
        except (ContactNotOnRecord, NoPhoneOnRecord) as refused:
            form.add_error(None, refused.message)
            contact_change = True
        except (AccessFrozen, RegistrationLocked, TooManyAttempts, PinRateLimited) as refused:
            form.add_error(None, refused.message)
        else:
            access.registering_set(request, started.account_id)
            messages.success(
                request,
                _("PIN aktivasi dikirim lewat SMS ke nomor tercatat %(phone)s dan ke email tercatat.")
                % {"phone": started.sent_to},
            )
            return redirect("portal:activate")
        return render(request, "portal/register.html", {"form": form, "contact_change": contact_change})
    return render(request, "portal/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    account_id = access.registering_get(request)
    if account_id is None:
        return redirect("portal:register")
    form = ActivationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account_activate(account_id=account_id, pin=data["pin"], password=data["password"], now=timezone.now(),
                             channel="web")
        except ValidationError as invalid:
            form.add_domain_errors(invalid)
        except PinError as wrong:
            form.add_error("pin", wrong.message)
        except RegistrationRefused:  # activated meanwhile (another tab)
            access.registering_done(request)
            return redirect("portal:login")
        else:
            access.registering_done(request)
            messages.success(request, _("Akun Anda sudah aktif. Silakan masuk dengan email dan kata sandi Anda."))
            return redirect("portal:login")
    return render(request, "portal/activate.html", {"form": form})


@require_POST
def activation_resend(request: HttpRequest) -> HttpResponse:
    account_id = access.registering_get(request)
    if account_id is None:
        return redirect("portal:register")
    try:
        activation_pin_resend(account_id=account_id, now=timezone.now())
    except PinRateLimited as limited:
        messages.error(request, limited.message)
    except RegistrationRefused:
        access.registering_done(request)
        return redirect("portal:login")
    else:
        messages.success(request, _("PIN aktivasi baru sudah dikirim lewat SMS dan email."))
    return redirect("portal:activate")
