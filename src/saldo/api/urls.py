from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _

from saldo.api.docs import docs_asset
from saldo.api.main import api
from saldo.api.problems import problem_response


def unknown_address(request: HttpRequest, rest: str) -> HttpResponse:
    """Anything under /api/v1/ that is no endpoint: a problem+json 404 rather than Django's HTML page."""
    return problem_response(status=404, code="not_found", detail=_("Alamat ini tidak ada di API."))


urlpatterns = [
    path("docs/assets/<str:name>", docs_asset, name="api-docs-asset"),
    path("", unknown_address, {"rest": ""}),  # before ninja's root view, which answers an HTML 404
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown_address),
]
