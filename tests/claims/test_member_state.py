"""A claim and the state of the member behind it: the member hears of every claim filed and paid;
no claim moves while a "not me" report froze the member; a death staff verified is a fact about
the person (no log-in, no binding, no claim but the heirs')."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from saldo.claims.errors import ClaimStateError
from saldo.claims.services import (
    claim_approve,
    claim_pay,
    claim_submit,
    claim_verification_record,
    claim_verification_start,
    member_actor,
)
from saldo.identity.accounts import LoginRefused, account_login
from saldo.identity.models import AccessFreeze, PhoneBinding, SecurityEvent
from saldo.identity.services import AccessFrozen
from saldo.registry.models import Person
from tests.factories import (
    CLAIM_CREW,
    bank_account_open,
    bind_phone,
    claim_documents,
    make_account,
    make_member,
    make_resigned_member,
    post_contribution,
)

AS_OF = date(2025, 3, 1)
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
VERIFIER, APPROVER, TREASURER = CLAIM_CREW
BANK = "1234567890"

pytestmark = pytest.mark.usefixtures("crew")


def submit(membership, reason="resignation", **kwargs):
    bank = bank_account_open(kwargs.get("heir_name") or membership.person.name, number=BANK)
    return claim_submit(kpj=membership.kpj, person_id=kwargs.pop("person_id", membership.person_id), reason=reason,
                        documents=claim_documents(reason), bank_code=bank["bank_code"], bank_account=BANK,
                        as_of=AS_OF, now=NOW, actor=member_actor("web"), **kwargs)


def notices(membership) -> list[tuple[str, str]]:
    return list(SecurityEvent.objects.filter(person_id=membership.person_id).order_by("id")
                .values_list("kind", "detail"))


def test_the_member_is_told_when_a_claim_is_filed_and_when_it_is_paid():
    resigned = make_resigned_member(kpj="55500000001")
    claim = submit(resigned)
    claim_verification_start(number=claim.number, actor=VERIFIER, now=NOW)
    claim_approve(number=claim.number, actor=APPROVER, now=NOW)
    claim_pay(number=claim.number, actor=TREASURER, now=NOW)
    assert notices(resigned) == [
        ("claim_filed", f"klaim JHT {claim.number} diajukan, ke rekening ****7890"),
        ("claim_paid", f"klaim JHT {claim.number} dibayar ke rekening ****7890"),
    ]


def test_a_frozen_member_can_file_nothing_and_no_claim_of_theirs_moves():
    resigned = make_resigned_member(kpj="55500000001")
    claim = submit(resigned)
    claim_verification_start(number=claim.number, actor=VERIFIER, now=NOW)
    AccessFreeze.objects.create(person_id=resigned.person_id, frozen_at=NOW, reason="bukan saya")
    with pytest.raises(AccessFrozen):
        claim_approve(number=claim.number, actor=APPROVER, now=NOW)
    AccessFreeze.objects.update(cleared_at=NOW)
    claim_approve(number=claim.number, actor=APPROVER, now=NOW)
    AccessFreeze.objects.create(person_id=resigned.person_id, frozen_at=NOW, reason="bukan saya")
    with pytest.raises(AccessFrozen):
        claim_pay(number=claim.number, actor=TREASURER, now=NOW)
    other = make_resigned_member(kpj="55500000002", person=resigned.person)
    with pytest.raises(AccessFrozen):
        submit(other)
    assert claim.__class__.objects.get(id=claim.id).status == "approved"


def test_approving_a_verified_death_claim_records_the_death_on_the_person():
    membership = make_member(kpj="55500000021", start_date=date(2020, 1, 1), phone="+6281234567890")
    post_contribution(membership, "2025-01", 5_000_000)
    make_account(membership, email="siti@example.com", phone="+6281234567890", now=NOW)
    bind_phone(membership, "+6281234567890")
    claim = submit(membership, reason="death", event_date=date(2025, 2, 10), heir_name="AHMAD (suami)",
                   person_id=None)
    claim_verification_start(number=claim.number, actor=VERIFIER, now=NOW)
    claim_verification_record(number=claim.number, actor=VERIFIER, now=NOW, note="akta kematian asli dilihat")
    assert Person.objects.get(id=membership.person_id).deceased_on is None  # not on the heirs' word alone
    claim_approve(number=claim.number, actor=APPROVER, now=NOW)
    assert Person.objects.get(id=membership.person_id).deceased_on == date(2025, 2, 10)
    assert PhoneBinding.objects.count() == 0
    assert notices(membership)[-1] == (
        "bindings_ended", "nomor SMS/WhatsApp terdaftar diakhiri: peserta meninggal dunia")
    with pytest.raises(LoginRefused):
        account_login(email="siti@example.com", password="rahasia-Saldo-2026", now=NOW)


def test_after_a_death_only_the_heirs_claim():
    resigned = make_resigned_member(kpj="55500000001")
    Person.objects.filter(id=resigned.person_id).update(deceased_on=date(2025, 2, 10))
    with pytest.raises(ClaimStateError) as refused:
        submit(resigned)
    assert refused.value.code == "member_deceased"
    assert submit(resigned, reason="death", event_date=date(2025, 2, 10), heir_name="AHMAD (suami)",
                  person_id=None).status == "submitted"
