"""Two requests at the same moment, each on its own PostgreSQL connection (one thread each):
a claim is paid once, and an account gets one open claim."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from saldo.claims.errors import ClaimAlreadyOpen, ClaimStateError
from saldo.claims.models import Claim, ClaimEvent
from saldo.claims.services import claim_approve, claim_pay, claim_submit, claim_verification_start
from saldo.ledger.checks import ledger_mismatches
from saldo.ledger.models import Entry, Posting
from tests.factories import account_of, bank_account_open, claim_documents, make_claim_crew, make_resigned_member

NOW = datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
ROUNDS = 5  # several claims, so the two requests really meet at least once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(action, count=2) -> list[str]:
    """Run `action` in `count` threads released together; each thread has its own connection."""
    barrier, results = threading.Barrier(count), []

    def run():
        try:
            barrier.wait()
            action()
            results.append("ok")
        except (ClaimStateError, ClaimAlreadyOpen) as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results)


def submit(membership):
    return claim_submit(
        kpj=membership.kpj, person_id=membership.person_id, reason="resignation",
        documents=claim_documents("resignation"), **bank_account_open(membership.person.name),
        as_of=date(2025, 3, 1), now=NOW, actor="member:web",
    )  # fmt: skip


def test_two_concurrent_payments_of_one_claim_pay_once():
    verifier, approver, treasurer = make_claim_crew()
    for i in range(ROUNDS):
        membership = make_resigned_member(kpj=f"5550000010{i}")
        claim = submit(membership)
        claim_verification_start(number=claim.number, actor=verifier, now=NOW)
        claim_approve(number=claim.number, actor=approver, now=NOW)

        results = at_once(lambda number=claim.number: claim_pay(number=number, actor=treasurer, now=NOW))

        assert results == ["claim_already_paid", "ok"]
        assert Posting.objects.filter(key=f"claim:{claim.id}").count() == 1
        assert list(Entry.objects.filter(posting__key=f"claim:{claim.id}").values_list("kind", "amount")) == [
            ("withdrawal", -12 * 285_000)
        ]
        assert account_of(membership).balance == 0
        assert ClaimEvent.objects.filter(claim=claim, action="paid").count() == 1
    assert ledger_mismatches() == []


def test_two_concurrent_applications_for_one_account_open_one_claim():
    for i in range(ROUNDS):
        membership = make_resigned_member(kpj=f"5550000020{i}")
        assert at_once(lambda m=membership: submit(m)) == ["claim_already_open", "ok"]
        assert Claim.objects.filter(membership=membership).count() == 1
