from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from saldo.core.errors import ValidationError
from saldo.portal import access
from saldo.portal.forms import PasswordPairForm, ResetRequestForm
from saldo.portal.services import (
    ResetLinkInvalid,
    password_reset_account,
    password_reset_complete,
    password_reset_request,
)
from saldo.portal.throttle import TooManyAttempts


@require_http_methods(["GET", "POST"])
def reset_request(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():

        def link(uid: str, token: str) -> str:
            return request.build_absolute_uri(reverse("portal:reset-confirm", kwargs={"uid": uid, "token": token}))

        try:
            password_reset_request(
                email=form.cleaned_data["email"], client=access.client_address(request), link=link, now=timezone.now()
            )
        except TooManyAttempts as limited:
            form.add_error(None, limited.message)
        else:
            return redirect("portal:reset-sent")
    return render(request, "portal/reset_request.html", {"form": form})


@require_GET
def reset_sent(request: HttpRequest) -> HttpResponse:
    # The same page whether or not the email has an account: no one learns which emails do.
    return render(request, "portal/reset_sent.html")


@require_http_methods(["GET", "POST"])
def reset_confirm(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    try:
        password_reset_account(uid=uid, token=token)
    except ResetLinkInvalid as invalid:
        return render(request, "portal/reset_invalid.html", {"message": invalid.message}, status=400)
    form = PasswordPairForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_complete(
                uid=uid, token=token, password=form.cleaned_data["password"], now=timezone.now()
            )
        except ValidationError as weak:
            form.add_domain_errors(weak)
        except ResetLinkInvalid as invalid:
            return render(request, "portal/reset_invalid.html", {"message": invalid.message}, status=400)
        else:
            messages.success(request, _("Kata sandi Anda sudah diganti. Silakan masuk dengan kata sandi baru."))
            return redirect("portal:login")
    return render(request, "portal/reset_confirm.html", {"form": form})
