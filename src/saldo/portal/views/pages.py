from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from saldo.portal.access import member_account, member_required


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if member_account(request) is not None:
        return redirect("portal:services")
    return render(request, "portal/home.html")


@require_GET
@member_required
def services(request: HttpRequest) -> HttpResponse:
    """Layanan: the menu after login."""
    return render(request, "portal/services.html", {"account": request.account})
