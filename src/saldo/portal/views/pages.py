from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saldo.portal.access import member_account, member_required


def home(request: HttpRequest) -> HttpResponse:
    if member_account(request) is not None:
        return redirect("portal:services")
    return render(request, "portal/home.html")


@member_required
def services(request: HttpRequest) -> HttpResponse:
    """Layanan: the menu after login."""
    return render(request, "portal/services.html", {"account": request.account})
