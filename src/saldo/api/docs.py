"""The API's documentation page (Swagger UI) served entirely from this server: the page, its
script and its stylesheet come from django-ninja's own bundled copy through `docs_asset`, so the
page works offline and a Content-Security-Policy forbids anything from elsewhere (no CDN)."""

import json
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import Swagger

ASSETS = Path(ninja.__file__).parent / "static" / "ninja"
CONTENT_TYPES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon.png": "image/png",
    "favicon.svg": "image/svg+xml",
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class LocalSwagger(Swagger):
    """Swagger UI without its CDN template (ninja uses a CDN unless it is an installed app)."""

    template = "api/docs.html"

    def __init__(self) -> None:
        # validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io.
        super().__init__(settings={"validatorUrl": None, "persistAuthorization": False})

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        response = render(
            request,
            self.template,
            {
                "api": api,
                "swagger_settings": json.dumps(self.settings),
                "asset": {name.replace("-", "_").replace(".", "_"): reverse("api-docs-asset", args=[name])
                          for name in CONTENT_TYPES},
            },
        )
        response["Content-Security-Policy"] = CSP
        return response


def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in CONTENT_TYPES:
        raise Http404(name)
    response = FileResponse((ASSETS / name).open("rb"), content_type=CONTENT_TYPES[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response
