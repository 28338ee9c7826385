"""The mobile-app API, version 1: one NinjaAPI, a router per area, errors as problem+json."""

import copy
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from saldo.api import problems
from saldo.api.docs import LocalSwagger
from saldo.api.endpoints import account, auth, claims, member, merges, public, security

DESCRIPTION = """Member services of Saldo for the mobile app (and any client): the member's KPJ cards,
JHT/JP balances, yearly statements, monthly iuran with gaps, the signed digital card, merging KPJ, and
JHT claims.

Claims: `GET /claim-reasons` lists the reasons and the documents each needs;
`GET /cards/{kpj}/claims/estimate?reason=…` says whether the KPJ can claim (every unmet condition with
its code, and from when), gross, tax, net and whether staff verify it; `POST /cards/{kpj}/claims`
applies (multipart/form-data: the fields, the files in `documents` and their kinds in `document_kinds`,
same order; JPG, PNG or PDF by content, 6 MB each); `GET /cards/{kpj}/claims` and `GET /claims/{number}`
show the status and trail; `POST /claims/{number}/cancel` withdraws a claim not yet approved.

Account settings: `POST /account/password` (the current password and a new one; every other device
is logged out); a new phone or email in three steps, `POST /account/phone` (or `/account/email`) with
the password, then `…/confirm-old` with the PIN texted to the phone on record, then `…/confirm-new`
with the PIN sent to the new number or email; `GET /account/bindings` and
`DELETE /account/bindings/{binding_id}` for the numbers bound for SMS and WhatsApp; `/auth/devices`
for the devices logged in.

Sign-in: `POST /auth/register` (or `/auth/login`) texts a PIN; `/auth/activate` (or `/auth/login/verify`)
returns an access token (minutes) and a refresh token bound to the device id. Send
`Authorization: Bearer <access token>`. Errors are `application/problem+json` with a stable `code`;
messages follow `Accept-Language` (`id` default, `en`). Too many requests get 429 with `Retry-After`."""


class SaldoAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document says application/problem+json for every error response
    and the Retry-After header for 429, built once (it takes ninja ~0.4 s) and reused; and whose
    answers are never stored by caches."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        cache = self.__dict__.setdefault("_schemas", {})
        if key not in cache:
            cache[key] = dict(self._schema_with_problems(path_prefix=path_prefix, path_params=path_params))
        return copy.deepcopy(cache[key])

    def create_temporal_response(self, request: HttpRequest) -> HttpResponse:
        response = super().create_temporal_response(request)
        # Balances and personal data: no copy kept by the phone's HTTP cache or a proxy on the way.
        response["Cache-Control"] = "no-store"
        return response

    def _schema_with_problems(self, **kwargs: Any):
        schema = super().get_openapi_schema(**kwargs)
        for operation in (op for path in schema["paths"].values() for op in path.values()):
            for status, response in operation["responses"].items():
                if int(status) >= 400 and "content" in response:
                    response["content"] = {problems.MEDIA_TYPE: response["content"]["application/json"]}
                if int(status) == 429:
                    response["headers"] = {
                        "Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}
                    }
        return schema


api = SaldoAPI(
    title="Saldo API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("/auth", auth.router)
api.add_router("", member.router)
api.add_router("", merges.router)
api.add_router("", claims.router)
api.add_router("", public.router)
api.add_router("", security.router)
api.add_router("", account.router)
