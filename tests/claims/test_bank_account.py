"""Paid only to the member: before a claim is filed the bank is asked who holds the account, and
the holder must be the member (the heir, for a death claim). A refusal stores nothing but the
inquiry's audit row; staff may later put another account of the same person on a claim not yet
approved, asked of the bank again and written to the trail."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from saldo.banking.errors import InquiryRefused, InquiryUnavailable
from saldo.banking.models import BankInquiry
from saldo.claims.errors import BankAccountRejected, ClaimStateError, NotEligible, StaffOnly
from saldo.claims.models import Claim, ClaimDocument, ClaimEvent
from saldo.claims.services import (
    claim_approve,
    claim_bank_account_change,
    claim_submit,
    claim_verification_start,
    member_actor,
)
from saldo.core.errors import ValidationError
from saldo.identity.models import SecurityEvent
from tests.factories import claim_documents, make_member, make_resigned_member, post_contribution

KPJ = "55500000001"
AS_OF = date(2025, 3, 1)
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
STAFF = "staff:rina"
MISMATCH = ("Nama pemilik rekening tidak sama dengan nama peserta. Klaim hanya dibayar ke rekening atas nama "
            "peserta sendiri.")
UNAVAILABLE = "Bank tidak dapat dihubungi untuk memeriksa rekening. Silakan coba lagi nanti."


@pytest.fixture
def resigned():
    """SITI AMINAH, who left her employer on 15 January 2025."""
    return make_resigned_member(kpj=KPJ, name="SITI AMINAH")


def submit(membership, *, bank_code="014", bank_account="1234567890", reason="resignation", **kwargs):
    kwargs.setdefault("as_of", AS_OF)
    return claim_submit(
        kpj=membership.kpj, person_id=membership.person_id, reason=reason, documents=claim_documents(reason),
        bank_code=bank_code, bank_account=bank_account, now=NOW, actor=member_actor("api"), **kwargs,
    )  # fmt: skip


def stored(document_root) -> tuple:
    return (Claim.objects.count(), ClaimDocument.objects.count(), ClaimEvent.objects.count(),
            [p for p in document_root.rglob("*") if p.is_file()])


def inquiries() -> list[tuple]:
    return list(BankInquiry.objects.order_by("id").values_list("asked_by", "purpose", "kpj", "claim_number",
                                                               "bank_code", "account_tail", "result"))


# --- applying -----------------------------------------------------------------------------------


def test_the_claim_keeps_the_bank_and_the_holder_it_named(bank, resigned):
    bank.open("Hj. Siti Aminah, S.E.")
    claim = submit(resigned, bank_account="1234 5678-90")
    assert (claim.bank_code, claim.bank_account, claim.bank_account_name) == (
        "014", "1234 5678-90", "Hj. Siti Aminah, S.E.")
    assert claim.bank_reference == BankInquiry.objects.get().reference != ""
    assert inquiries() == [("member:api", "claim_submit", KPJ, "", "014", "7890", "ok")]
    assert json.loads(bank.inquiries()[0].body)["beneficiaryAccountNo"] == "1234567890"  # digits only to the bank


def test_an_account_in_another_name_is_refused_and_nothing_is_stored(bank, resigned, document_root):
    bank.open("BUDI SANTOSO")
    with pytest.raises(BankAccountRejected) as refused:
        submit(resigned)
    assert refused.value.code == "bank_account_name_mismatch"
    assert [(e.field, e.message) for e in refused.value.errors] == [("bank_account", MISMATCH)]
    assert stored(document_root) == (0, 0, 0, [])
    assert inquiries() == [("member:api", "claim_submit", KPJ, "", "014", "7890", "bank_account_name_mismatch")]


def test_an_account_the_bank_does_not_know_is_refused(bank, resigned, document_root):
    with pytest.raises(BankAccountRejected) as refused:
        submit(resigned, bank_account="5550001111")
    assert refused.value.code == "bank_account_not_found"
    assert [e.field for e in refused.value.errors] == ["bank_account"]
    assert stored(document_root) == (0, 0, 0, [])


def test_a_bank_that_does_not_answer_is_try_again_later(bank, resigned, document_root, settings):
    bank.open("SITI AMINAH")
    settings.SALDO_BANK_INQUIRY = bank.config(TIMEOUT_SECONDS=0.3)
    bank.delay = 10
    with pytest.raises(InquiryUnavailable) as refused:
        submit(resigned)
    assert (refused.value.code, refused.value.message) == ("bank_unavailable", UNAVAILABLE)
    assert stored(document_root) == (0, 0, 0, [])
    assert [row[-1] for row in inquiries()] == ["bank_unavailable"]


def test_a_bank_that_refuses_our_signature_files_nothing(bank, resigned, document_root, settings):
    bank.open("SITI AMINAH")
    settings.SALDO_BANK_INQUIRY = bank.config(CLIENT_SECRET="an old secret")
    with pytest.raises(InquiryRefused) as refused:
        submit(resigned)
    assert (refused.value.code, refused.value.message) == ("bank_inquiry_refused", UNAVAILABLE)
    assert stored(document_root) == (0, 0, 0, [])


def test_a_death_claim_is_paid_to_the_heir(bank, document_root):
    membership = make_member(kpj="55500000021", name="SUPARMAN", sex="M", start_date=date(2020, 1, 1))
    post_contribution(membership, "2025-01", 5_000_000)
    bank.open("SUPARMAN")  # the member's own account: not the heir's
    death = {"reason": "death", "event_date": date(2025, 2, 10), "heir_name": "Ahmad Fauzi", "verification": None}
    with pytest.raises(BankAccountRejected) as refused:
        submit(membership, **death)
    assert [e.message for e in refused.value.errors] == [
        "Nama pemilik rekening tidak sama dengan nama ahli waris. Klaim hanya dibayar ke rekening atas nama ahli "
        "waris sendiri."]
    bank.open("AHMAD FAUZI", number="7770001234", bank_code="451")
    claim = submit(membership, bank_code="451", bank_account="7770001234", **death)
    assert (claim.bank_code, claim.bank_account_name, claim.heir_name) == ("451", "AHMAD FAUZI", "Ahmad Fauzi")


@pytest.mark.parametrize("bank_code", ["", "14", "0140", "BCA"])
def test_the_bank_code_is_three_digits_and_checked_before_the_bank_is_asked(bank, resigned, bank_code):
    bank.open("SITI AMINAH")
    with pytest.raises(ValidationError) as refused:
        submit(resigned, bank_code=bank_code)
    assert [e.field for e in refused.value.errors] == ["bank_code"]
    assert bank.requests == [] and not BankInquiry.objects.exists()


def test_a_member_not_eligible_is_told_so_without_asking_the_bank(bank, resigned):
    bank.open("SITI AMINAH")
    with pytest.raises(NotEligible):
        submit(resigned, as_of=date(2025, 2, 1))
    assert bank.requests == []


# --- staff change the account -------------------------------------------------------------------


@pytest.fixture
def claim(bank, resigned, crew):
    """A claim submitted to the member's BCA account; rina (STAFF) is a verifier (crew)."""
    bank.open("SITI AMINAH")
    return submit(resigned)


def trail(claim) -> list[tuple]:
    return list(claim.events.order_by("id").values_list("actor", "action", "from_status", "to_status", "note"))


def test_staff_put_another_account_of_the_member_on_the_claim(bank, claim):
    bank.open("SITI AMINAH", number="0987654321", bank_code="008")
    changed = claim_bank_account_change(number=claim.number, bank_code="008", bank_account="0987654321",
                                        actor=STAFF, now=NOW)
    changed.refresh_from_db()
    assert (changed.bank_code, changed.bank_account, changed.bank_account_name) == ("008", "0987654321",
                                                                                   "SITI AMINAH")
    reference = BankInquiry.objects.order_by("id").last().reference
    assert changed.bank_reference == reference
    assert trail(changed)[-1] == (
        "staff:rina", "bank_account_changed", "submitted", "submitted",
        f"014 ****7890 -> 008 ****4321, a.n. SITI AMINAH (ref {reference})",
    )  # fmt: skip
    assert inquiries()[-1] == ("staff:rina", "claim_bank_change", KPJ, claim.number, "008", "4321", "ok")
    assert not any("0987654321" in row[-1] for row in trail(changed))
    # The member hears of it on the contacts on record, after the notice of the application.
    kinds = list(SecurityEvent.objects.order_by("id").values_list("kind", "detail"))
    assert kinds == [("claim_filed", f"klaim JHT {claim.number} diajukan, ke rekening ****7890"),
                     ("bank_account", f"rekening ****4321 dipasang untuk klaim {claim.number}")]


def test_an_account_in_another_name_is_not_put_on_the_claim(bank, claim):
    bank.open("ORANG LAIN", number="0987654321", bank_code="008")
    with pytest.raises(BankAccountRejected):
        claim_bank_account_change(number=claim.number, bank_code="008", bank_account="0987654321", actor=STAFF,
                                  now=NOW)
    claim.refresh_from_db()
    assert (claim.bank_code, claim.bank_account, claim.events.count()) == ("014", "1234567890", 1)
    assert inquiries()[-1][-1] == "bank_account_name_mismatch"


def test_the_member_cannot_change_it(bank, claim):
    with pytest.raises(StaffOnly) as refused:
        claim_bank_account_change(number=claim.number, bank_code="008", bank_account="0987654321",
                                  actor=member_actor("web"), now=NOW)
    assert refused.value.code == "staff_only"
    assert len(bank.inquiries()) == 1  # only the application's


def test_not_once_the_claim_is_approved(bank, claim, crew):
    verifier, approver, _ = crew  # rina (STAFF) verifies, budi approves
    claim_verification_start(number=claim.number, actor=verifier, now=NOW)
    bank.open("SITI AMINAH", number="0987654321", bank_code="008")
    claim_bank_account_change(number=claim.number, bank_code="008", bank_account="0987654321", actor=STAFF, now=NOW)
    claim_approve(number=claim.number, actor=approver, now=NOW)
    with pytest.raises(ClaimStateError) as refused:
        claim_bank_account_change(number=claim.number, bank_code="014", bank_account="1234567890", actor=STAFF,
                                  now=NOW)
    assert refused.value.code == "bank_account_locked"
    assert len(bank.inquiries()) == 2  # the application and the change while verifying
    assert Claim.objects.get(id=claim.id).bank_account == "0987654321"


def test_bad_input_is_refused_before_the_bank_is_asked(bank, claim):
    with pytest.raises(ValidationError) as refused:
        claim_bank_account_change(number=claim.number, bank_code="8", bank_account="12", actor=STAFF, now=NOW)
    assert [e.field for e in refused.value.errors] == ["bank_code", "bank_account"]
    assert len(bank.inquiries()) == 1
