"""Schemathesis against the live OpenAPI document: the API served on 127.0.0.1 by the test (pytest-
django's live server), the `schemathesis` CLI generating requests from /api/v1/openapi.json.

Holds: no 5xx, every status, content type, header and body as documented, invalid input refused,
secured operations refusing a missing or wrong token. Bounded (examples per operation, fixed
seed) so the suite stays fast; SALDO_FUZZ_EXAMPLES and SALDO_FUZZ_SEED widen or vary a run.

positive_data_acceptance is left out: it takes every 422 to schema-valid input as a schema bug,
but here a well-formed NIK that does not match the KPJ, a wrong PIN, a weak password or a month
range that runs backwards are refused by rules no schema can state."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from saldo.claims.services import claim_submit, member_actor
from saldo.core.periods import format_period
from saldo.registry.models import Person
from tests.api.conftest import months_ago, sign_in
from tests.factories import bank_account_open, claim_documents, make_employer, make_member, post_contribution

os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
EXAMPLES = int(os.environ.get("SALDO_FUZZ_EXAMPLES", 10))
SEED = int(os.environ.get("SALDO_FUZZ_SEED", 20261126))
CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "ignored_auth",
])
# Logging out ends the token the run uses: those two get runs of their own.
LOGOUTS = "^/api/v1/auth/logout"
# The OpenAPI examples name fixed years (a statement of 2025): the data behind them is dated from
# a day these tests name, so the examples reach a 2xx on whatever day the suite runs.
pytestmark = pytest.mark.today(date(2026, 11, 20))


@pytest.fixture(autouse=True)
def _messages_go_nowhere(settings):
    """PINs and notices are queued (the run reads none of them); no gateway is asked to send them."""
    settings.SALDO_TRANSPORTS = {"sms": "tests.factories.transport_dropped",
                                 "whatsapp": "tests.factories.transport_dropped"}


@pytest.fixture
def member():
    """The people behind the OpenAPI examples, so that the examples reach real data and real 2xx:
    the member signed in (a current card with a partial claim in progress, a newer one, an old
    ended one with money for the merge example) and a member without an account yet (the
    registration example)."""
    make_member(kpj="55465628384", name="BAGUS HARTONO", sex="M", birth_date=date(1986, 11, 23),
                start_date=months_ago(10), person=Person.objects.create(
                    nik="3515112311860043", name="BAGUS HARTONO", birth_date=date(1986, 11, 23), sex="M",
                    mother_maiden_name="SITI", phone="+628387045279", email="bagus@example.com"))
    current = make_member(kpj="68516716147", name="NENG KURNIASIH", birth_date=date(1987, 10, 7),
                          start_date=months_ago(24), phone="+628154817745")
    make_member(kpj="34086313831", person=current.person, start_date=months_ago(3),
                employer=make_employer(npp="55556666", name="PT SEKARANG"))
    old = make_member(kpj="90090801580", person=current.person, start_date=date(2012, 8, 1),
                      end_date=date(2019, 12, 31), employer=make_employer(npp="33334444", name="CV TENGAH"))
    post_contribution(old, "2019-11", 4_000_000)
    for n in range(24, 0, -1):
        post_contribution(current, format_period(months_ago(n)), 4_500_000)
    # A claim in progress, so the card's claims list has one to check against its schema.
    now = timezone.now()
    claim_submit(kpj=current.kpj, person_id=current.person_id, reason="partial_10",
                 documents=claim_documents("partial_10"), **bank_account_open(current.person.name),
                 as_of=timezone.localdate(now), now=now, actor=member_actor("api"))
    return current


def schemathesis(live_server, tmp_path, name: str, *args: str) -> dict:
    """Run the CLI; its JSON report, after checking it found nothing wrong."""
    report = tmp_path / f"{name}.json"
    command = [
        str(SCHEMATHESIS), "run", f"{live_server.url}/api/v1/openapi.json", "--url", live_server.url,
        "--checks", CHECKS, "--max-examples", str(EXAMPLES), "--seed", str(SEED), "--workers", "1",
        "--phases", "examples,coverage,fuzzing", "--report", "json", "--report-json-path", str(report),
        "--request-timeout", "30", "--no-color", *args,
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    print(run.stdout[-3000:])  # the run's summary, shown with -s
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    found = json.loads(report.read_text())
    assert (found["failures"], found["errors"], found["test_cases"]["with_failures"]) == ([], [], 0)
    assert found["operations"]["tested"] == found["operations"]["selected"] > 0
    return found


def test_the_api_holds_to_its_openapi_document(live_server, tmp_path, member):
    token = sign_in(member, email="neng@example.com", phone="+628154817745", device_id="fuzz-runner").access
    found = schemathesis(live_server, tmp_path, "api", "--header", f"Authorization: Bearer {token}",
                         "--exclude-path-regex", LOGOUTS)
    assert found["operations"]["selected"] == 35
    # The examples reached real data: every operation on a card answered 2xx at least once, so the
    # documented success bodies were checked too, not only the errors.
    accepted = {op for op, phases in found["valid_rates"].items() if any(p["accepted"] for p in phases.values())}
    assert {
        "GET /api/v1/me", "GET /api/v1/cards", "GET /api/v1/cards/{kpj}", "GET /api/v1/cards/{kpj}/balance",
        "GET /api/v1/cards/{kpj}/statements/{year}", "GET /api/v1/cards/{kpj}/contributions",
        "GET /api/v1/cards/{kpj}/digital-card", "POST /api/v1/merges", "POST /api/v1/auth/register",
        "GET /api/v1/digital-card/public-key", "GET /api/v1/claim-reasons", "GET /api/v1/cards/{kpj}/claims",
        "GET /api/v1/cards/{kpj}/claims/estimate",
    } <= accepted


@pytest.mark.parametrize("path", ["/api/v1/auth/logout", "/api/v1/auth/logout-all"])
def test_logging_out_holds_to_its_openapi_document(live_server, tmp_path, member, path):
    """Each with a token of its own: the first call that succeeds ends it."""
    token = sign_in(member, email="neng@example.com", phone="+628154817745", device_id="fuzz-runner").access
    schemathesis(live_server, tmp_path, "logout", "--header", f"Authorization: Bearer {token}",
                 "--include-path", path)
