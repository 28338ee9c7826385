"""Pages for a member who cannot, or must not, log in: asking to change the contacts on record,
and reporting "not me" with the code of a security notice."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from saldo.core.errors import ValidationError
from saldo.core.throttle import TooManyAttempts
from saldo.identity.contacts import ContactChangeOpen, contact_change_request
from saldo.identity.freezes import ReportCodeUnknown
from saldo.identity.services import AccessFrozen, RegistrationLocked, RegistrationRefused
from saldo.portal import access
from saldo.portal.forms import ContactChangeForm, PortalForm
from saldo.portal.services import not_me_report
from saldo.portal.views.registration import refused_message


@require_http_methods(["GET", "POST"])
def contact_change(request: HttpRequest) -> HttpResponse:
    form = ContactChangeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_change_request(
                request=form.change_request(), channel="web", entered_by="member:web", now=timezone.now(),
                client=access.client_address(request),
            )
        except ValidationError as invalid:
            form.add_domain_errors(invalid)
        except RegistrationRefused:
            form.add_error(None, refused_message())
        except (RegistrationLocked, AccessFrozen, ContactChangeOpen) as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("portal:contact-change-sent")
    return render(request, "portal/contact_change.html", {"form": form})


@require_GET
def contact_change_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/contact_change_sent.html")


class NotMeForm(PortalForm):
    code = forms.CharField(
        label=gettext_lazy("Kode laporan"),
        help_text=gettext_lazy("8 huruf/angka dari SMS atau email pemberitahuan, mis. K7Q2M9AB."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


@require_http_methods(["GET", "POST"])
def not_me(request: HttpRequest) -> HttpResponse:
    form = NotMeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            not_me_report(code=form.cleaned_data["code"], client=access.client_address(request), now=timezone.now())
        except (ReportCodeUnknown, TooManyAttempts) as refused:
            form.add_error("code" if isinstance(refused, ReportCodeUnknown) else None, refused.message)
        else:
            return render(request, "portal/not_me_done.html")
    return render(request, "portal/not_me.html", {"form": form, "title": _("Laporkan: bukan saya")})
