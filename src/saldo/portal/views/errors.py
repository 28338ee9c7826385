from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saldo.portal.security import portal_page


@portal_page
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its token, or with a stale one (a page left open): say what to do."""
    return render(request, "portal/csrf_failure.html", status=403)
