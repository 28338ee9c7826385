"""Forgotten password: a code by e-mail, typed into the reset page with a new password.

No address of these pages carries a secret: the code travels in the mail and in the form's body,
never in a URL, so no access log, proxy log or Referer header can hold a usable one."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from saldo.core.errors import ValidationError
from saldo.portal import access
from saldo.portal.forms import PasswordResetForm, ResetRequestForm
from saldo.portal.services import ResetCodeInvalid, password_reset_complete, password_reset_request
from saldo.portal.throttle import TooManyAttempts


@require_http_methods(["GET", "POST"])
def reset_request(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            password_reset_request(
                email=email,
                client=access.client_address(request),
                url=request.build_absolute_uri(reverse("portal:reset-confirm")),
                now=timezone.now(),
            )
        except TooManyAttempts as limited:
            form.add_error(None, limited.message)
        else:
            # The same page whether or not the email has an account: no one learns which emails do.
            access.reset_email_set(request, email)
            return redirect("portal:reset-confirm")
    return render(request, "portal/reset_request.html", {"form": form})


@sensitive_post_parameters("code", "password", "password_again")
@require_http_methods(["GET", "POST"])
def reset_confirm(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PasswordResetForm(request.POST)
    else:
        form = PasswordResetForm(initial={"email": access.reset_email_get(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            password_reset_complete(
                email=data["email"], code=data["code"], password=data["password"], now=timezone.now()
            )
        except ValidationError as weak:
            form.add_domain_errors(weak)
        except ResetCodeInvalid as invalid:
            form.add_error("code", invalid.message)
        else:
            access.reset_email_done(request)
            messages.success(request, _("Kata sandi Anda sudah diganti. Silakan masuk dengan kata sandi baru."))
            return redirect("portal:login")
    minutes = settings.SALDO_PORTAL["RESET_CODE_MINUTES"]
    return render(request, "portal/reset_confirm.html", {"form": form, "minutes": minutes})
