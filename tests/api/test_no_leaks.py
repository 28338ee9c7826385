"""No data leaks between members. For every endpoint that takes a KPJ or another id, a second
member's token gets 404, exactly the 404 of an id that does not exist, and none of the first
member's data; the owner gets the data.

The endpoints are read from the OpenAPI document and checked against Django's URL resolver, so a
new endpoint is covered the day it is added: a parameter this test does not know fails it."""

import json
import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from saldo.api.urls import unknown_address
from saldo.claims.services import claim_submit, member_actor
from tests.api.conftest import ApiClient, SignedIn, sign_in
from tests.factories import (
    PDF_BYTES,
    PNG_BYTES,
    bank_account_open,
    bind_phone,
    claim_documents,
    make_employer,
    make_member,
    post_contribution,
)

# How each parameter is filled: with something of the owner's, and with something of nobody's.
OWNER_VALUES = {
    "kpj": "90090801580",
    "year": 2019,
    "device_id": "tablet",
    "from_kpj": "99993494331",
    "to_kpj": "34086313831",
    "number": None,  # the number of the owner fixture's claim (owner_values)
    "binding_id": None,  # the owner's number bound for WhatsApp (owner_values)
}
NOBODY_VALUES = {
    "kpj": "10000000009",
    "year": 2019,
    "device_id": "no-such-device",
    "from_kpj": "10000000009",
    "to_kpj": "10000000019",
    "number": "KL-20250101-999999",
    "binding_id": 999999,
}
# Parameters that only narrow what is shown and never name a record.
NARROWING = {"as_of", "from", "to"}
# What a request says rather than whom it is about, the same from every caller: a claim
# application the owner's old card may make (None: left out).
CONTENT_VALUES = {
    "reason": "resignation",
    "bank_code": "014",
    "bank_account": "1234567890",
    "document_kinds": ["kpj_card", "ktp", "resignation_letter"],
    "documents": [("kartu.pdf", PDF_BYTES), ("ktp.png", PNG_BYTES), ("surat.pdf", PDF_BYTES)],
    "event_date": None,
    "heir_name": None,
    "verification": None,
    # The account settings: a password, a new contact, a PIN (about the caller alone).
    "current_password": None,
    "new_password": None,
    "password": None,
    "phone": None,
    "email": None,
    "pin": None,
}
# Routes under /api/v1 that are not operations: the document itself, its docs page and assets.
NOT_OPERATIONS = {"/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/assets/{name}", "/api/v1/"}


@dataclass
class Owner(SignedIn):
    claim_number: str = ""
    binding_id: int = 0


@pytest.fixture
def owner():
    """Iwan, signed in on two devices: an old card (ended, with money: the one asked about), the
    current one, an older one to merge, and the oldest, ended, with a claim in progress."""
    old = make_member(kpj="90090801580", name="IWAN SUKMANA", sex="M", birth_date=date(1980, 8, 27),
                      start_date=date(2012, 8, 1), end_date=date(2019, 12, 31), phone="+62813157147898",
                      employer=make_employer(npp="33334444", name="CV RAHASIA TENGAH"))
    make_member(kpj="34086313831", person=old.person, start_date=date(2024, 1, 1),
                employer=make_employer(npp="55556666", name="PT RAHASIA SEKARANG"))
    older = make_member(kpj="99993494331", person=old.person, start_date=date(2008, 3, 1), end_date=date(2012, 6, 30),
                        employer=make_employer(npp="11112222", name="PT RAHASIA LAMA"))
    oldest = make_member(kpj="80080080080", person=old.person, start_date=date(2005, 1, 1),
                         end_date=date(2007, 12, 31), employer=make_employer(npp="77778888", name="PT RAHASIA AWAL"))
    post_contribution(old, "2019-11", 4_321_987)
    post_contribution(older, "2012-05", 3_456_789)
    post_contribution(oldest, "2007-06", 2_345_678)
    now = timezone.now()
    claim = claim_submit(kpj=oldest.kpj, person_id=old.person_id, reason="resignation",
                         documents=claim_documents("resignation"),
                         **bank_account_open(old.person.name, number="9876543210"),
                         as_of=timezone.localdate(now), now=now, actor=member_actor("api"))
    bank_account_open(old.person.name)  # the account CONTENT_VALUES applies with
    binding = bind_phone(old, "+62813157147898", channel="whatsapp")
    signed_in = sign_in(old, email="iwan@example.com", phone="+62813157147898", device_name="HP IWAN")
    sign_in(old, email="iwan@example.com", phone="+62813157147898", device_id="tablet", device_name="TABLET IWAN")
    return Owner(**vars(signed_in), claim_number=claim.number, binding_id=binding.id)


@pytest.fixture
def owner_values(owner):
    return OWNER_VALUES | {"number": owner.claim_number, "binding_id": owner.binding_id}


@pytest.fixture
def other(neng_in):
    return neng_in


def owner_secrets(owner) -> list[str]:
    person = owner.membership.person
    return [person.name, person.nik, person.email, "iwan@example.com", "+62813157147898", "CV RAHASIA TENGAH",
            "PT RAHASIA SEKARANG", "4321987", "159914", "86440", "HP IWAN", "TABLET IWAN", "34086313831",
            "PT RAHASIA LAMA", "80080080080", "PT RAHASIA AWAL", "9876543210"]


def operations(api: ApiClient) -> list[tuple[str, str, dict]]:
    document = api.get("/openapi.json").json()
    return [(method.upper(), path, op | {"_components": document["components"]})
            for path, ops in document["paths"].items() for method, op in ops.items()]


def parameters(op: dict) -> tuple[dict[str, str], set[str]]:
    """({name: "path" | "query"}, body property names) of an operation."""
    located = {p["name"]: p["in"] for p in op.get("parameters", [])}
    body = set()
    content = op.get("requestBody", {}).get("content", {})
    for media in content.values():
        schema = media["schema"]
        if "$ref" in schema:
            schema = op["_components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        body |= set(schema.get("properties", {}))
    return located, body


def call(api: ApiClient, method: str, path: str, op: dict, values: dict, token: str):
    values = values | CONTENT_VALUES
    located, body = parameters(op)
    url = path.removeprefix("/api/v1")
    for name, where in located.items():
        if where == "path":
            url = url.replace("{" + name + "}", str(values[name]))
    query = {name: values[name] for name, where in located.items()
             if where == "query" and values.get(name) is not None}
    payload = {name: values[name] for name in body if values.get(name) is not None}
    if method == "GET":
        return api.get(url, token=token, **query)
    if method == "DELETE":
        return api.delete(url, token=token)
    if "multipart/form-data" in op.get("requestBody", {}).get("content", {}):
        return api.post_form(url, payload, token=token)
    return api.post(url, payload, token=token)


def test_every_route_of_the_api_is_in_the_openapi_document(api):
    documented = {path for _method, path, _op in operations(api)}
    routes = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif pattern.callback is unknown_address:
                continue  # the problem+json 404 for every other address
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
                routes.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))

    walk(get_resolver().url_patterns, "")
    assert routes - NOT_OPERATIONS == documented


def test_a_second_member_gets_404_for_every_endpoint_taking_a_kpj_or_an_id(api, owner, owner_values, other):
    checked = []
    for method, path, op in operations(api):
        if "security" not in op:
            continue  # open to anyone and about no one (the public key)
        located, body = parameters(op)
        names = set(located) | body
        unknown = names - set(OWNER_VALUES) - NARROWING - set(CONTENT_VALUES)
        assert not unknown, f"{method} {path}: add {sorted(unknown)} to OWNER_VALUES, NARROWING or CONTENT_VALUES"
        identifying = names - NARROWING - set(CONTENT_VALUES)
        if not identifying:
            continue  # about the caller only (me, cards, devices, logout): covered below
        # The second member first: the owner's own call may change things (a merge, a claim).
        theirs = call(api, method, path, op, owner_values, other.access)
        nobodys = call(api, method, path, op, NOBODY_VALUES, other.access)
        assert theirs.status_code == 404, f"{method} {path} answered {theirs.status_code} to another member"
        assert theirs["Content-Type"] == "application/problem+json"
        text = theirs.content.decode()
        for secret in owner_secrets(owner):
            assert secret not in text, f"{method} {path} leaked {secret!r}"
        # Indistinguishable from asking for something that does not exist (ids swapped back).
        swap = {str(owner_values[n]): str(NOBODY_VALUES[n]) for n in identifying}
        for mine, nobody in swap.items():
            text = text.replace(mine, nobody)
        assert json.loads(text) == nobodys.json(), f"{method} {path}: differs from a 404 for nothing"
        owners = call(api, method, path, op, owner_values, owner.access)
        assert 200 <= owners.status_code < 300, f"{method} {path}: the owner got {owners.status_code}"
        checked.append(f"{method} {path}")
    assert sorted(checked) == [
        "DELETE /api/v1/account/bindings/{binding_id}",
        "DELETE /api/v1/auth/devices/{device_id}",
        "GET /api/v1/cards/{kpj}",
        "GET /api/v1/cards/{kpj}/balance",
        "GET /api/v1/cards/{kpj}/claims",
        "GET /api/v1/cards/{kpj}/claims/estimate",
        "GET /api/v1/cards/{kpj}/contributions",
        "GET /api/v1/cards/{kpj}/digital-card",
        "GET /api/v1/cards/{kpj}/statements/{year}",
        "GET /api/v1/claims/{number}",
        "POST /api/v1/cards/{kpj}/claims",
        "POST /api/v1/claims/{number}/cancel",
        "POST /api/v1/merges",
    ]


def test_what_a_member_reads_about_themselves_holds_nothing_of_another(api, owner, other):
    for method, path, op in operations(api):
        if "security" not in op or method != "GET" or set(parameters(op)[0]) - NARROWING:
            continue
        answer = call(api, method, path, op, {}, other.access)
        assert answer.status_code == 200, path
        for secret in owner_secrets(owner):
            assert secret not in answer.content.decode(), f"{path} leaked {secret!r}"


def test_a_merge_naming_one_own_and_one_foreign_card_is_404_too(api, owner, other):
    mixed = api.post("/merges", {"from_kpj": "90090801580", "to_kpj": other.membership.kpj}, token=owner.access)
    assert mixed.status_code == 404
    mixed = api.post("/merges", {"from_kpj": other.membership.kpj, "to_kpj": "34086313831"}, token=owner.access)
    assert mixed.status_code == 404
