"""Applying for a claim and taking it through the workflow to payment, with the ledger and the
trail of who did what; and every bad input refused with nothing changed. Runs on SQLite and on
PostgreSQL alike."""

import stat
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from saldo.claims.documents import DocumentUpload, document_path
from saldo.claims.errors import ClaimAlreadyOpen, ClaimStateError, DocumentsRejected, NotEligible, UnknownReason
from saldo.claims.models import Claim, ClaimDocument, ClaimEvent
from saldo.claims.selectors import claim_estimate_get, claim_get, claims_list
from saldo.claims.services import (
    claim_approve,
    claim_cancel,
    claim_pay,
    claim_reject,
    claim_submit,
    claim_verification_record,
    claim_verification_start,
    member_actor,
)
from saldo.core.errors import NotFound, ValidationError
from saldo.ledger.checks import ledger_mismatches
from saldo.ledger.models import Account, Entry, Posting, Programme
from saldo.ledger.selectors import balances_get
from tests.factories import (
    CLAIM_CREW,
    PDF_BYTES,
    PNG_BYTES,
    account_of,
    bank_account_open,
    claim_documents,
    make_member,
    make_resigned_member,
    post_contribution,
    post_entries,
)

KPJ = "55500000001"
AS_OF = date(2025, 3, 1)
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
LATER = datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
MEMBER = member_actor("web")
VERIFIER, APPROVER, TREASURER = CLAIM_CREW  # rina verifies, budi approves, sari pays
BANK = "1234567890"
JHT_12_MONTHS = 12 * 285_000  # 5,000,000 a month: JHT 185,000 + 100,000
JP_12_MONTHS = 12 * 150_000

pytestmark = pytest.mark.usefixtures("crew")


@pytest.fixture
def resigned():
    """Left PT MAJU JAYA on 15 January 2025 (reported); 12 months of iuran in 2024; non-aktif."""
    return make_resigned_member(kpj=KPJ)


def submit(membership, reason="resignation", documents=None, person_id="owner", **kwargs):
    """Apply, paid to the payee's own account (the member's, or the heir's) at the test bank."""
    kwargs.setdefault("as_of", AS_OF)
    bank = bank_account_open(kwargs.get("heir_name") or membership.person.name, number=BANK)
    return claim_submit(
        kpj=membership.kpj,
        person_id=membership.person_id if person_id == "owner" else person_id,
        reason=reason,
        documents=claim_documents(reason) if documents is None else documents,
        bank_code=kwargs.pop("bank_code", bank["bank_code"]),
        bank_account=kwargs.pop("bank_account", BANK),
        now=kwargs.pop("now", NOW),
        actor=MEMBER,
        **kwargs,
    )


def approve(number):
    claim_verification_start(number=number, actor=VERIFIER, now=NOW)
    return claim_approve(number=number, actor=APPROVER, now=NOW)


def everything(document_root):
    """What a refused call must leave as it was: claims, documents, trail, ledger, files."""
    return (
        list(Claim.objects.order_by("id").values_list("id", "status")),
        ClaimDocument.objects.count(),
        ClaimEvent.objects.count(),
        list(Posting.objects.order_by("id").values_list("key", flat=True)),
        list(Account.objects.order_by("id").values_list("id", "balance")),
        sorted(p.name for p in document_root.rglob("*") if p.is_file()),
    )


def trail(claim):
    return list(claim.events.order_by("id").values_list("actor", "action", "from_status", "to_status"))


# --- estimate ----------------------------------------------------------------------------------


def test_the_estimate_shows_eligibility_gross_tax_and_net(resigned):
    estimate = claim_estimate_get(kpj=KPJ, reason="resignation", as_of=AS_OF, person_id=resigned.person_id)
    assert estimate.as_json() == {
        "kpj": KPJ,
        "reason": "resignation",
        "reason_label": "mengundurkan diri",
        "as_of": "2025-03-01",
        "eligibility": {"reason": "resignation", "as_of": "2025-03-01", "eligible": True,
                        "eligible_from": "2025-03-01", "conditions": []},
        "balances": {"JHT": JHT_12_MONTHS, "JP": JP_12_MONTHS},
        "payout": {"jht": JHT_12_MONTHS, "jp": 0, "gross": JHT_12_MONTHS, "tax": 0, "net": JHT_12_MONTHS},
        "tax_window": {"earlier_gross": 0, "earlier_tax": 0},
        "self_service": True,
        "verification": "self_service",
        "self_service_limit": 10_000_000,
    }  # fmt: skip


def test_before_the_waiting_month_the_estimate_says_from_when(resigned):
    estimate = claim_estimate_get(kpj=KPJ, reason="resignation", as_of=date(2025, 2, 1), person_id=None)
    assert not estimate.eligibility.eligible
    assert estimate.eligibility.eligible_from == date(2025, 2, 15)
    assert estimate.payout.net == JHT_12_MONTHS  # what it would pay today's balance


def test_above_50_million_the_estimate_withholds_5_percent(resigned):
    post_entries(account_of(resigned), [(date(2024, 12, 31), 60_000_000 - JHT_12_MONTHS)], key="opening")
    estimate = claim_estimate_get(kpj=KPJ, reason="resignation", as_of=AS_OF, person_id=None)
    assert estimate.payout.as_json() == {
        "jht": 60_000_000, "jp": 0, "gross": 60_000_000, "tax": 500_000, "net": 59_500_000,
    }  # fmt: skip
    assert estimate.verification == "video_call" and not estimate.self_service


# --- the whole workflow ------------------------------------------------------------------------


def test_a_claim_from_application_to_payment(resigned, document_root):
    claim = submit(resigned)
    assert claim.number == f"KL-20250301-{claim.id:06d}"
    assert (claim.status, claim.verification, claim.estimated_gross, claim.estimated_tax) == (
        "submitted", "self_service", JHT_12_MONTHS, 0,
    )  # fmt: skip

    claim_verification_start(number=claim.number, actor=VERIFIER, now=NOW)
    claim_approve(number=claim.number, actor=APPROVER, now=NOW)
    paid = claim_pay(number=claim.number, actor=TREASURER, now=LATER)

    assert (paid.status, paid.paid_on, paid.paid_jht, paid.paid_jp, paid.paid_tax) == (
        "paid", date(2025, 3, 3), JHT_12_MONTHS, 0, 0,
    )  # fmt: skip
    # The JHT account is closed (empty); JP stays until the JP pension age.
    assert dict(Account.objects.filter(membership=resigned).values_list("programme", "balance")) == {
        "JHT": 0, "JP": JP_12_MONTHS,
    }  # fmt: skip
    entries = Entry.objects.filter(posting__key=f"claim:{claim.id}").values_list("kind", "amount", "value_date")
    assert list(entries) == [("withdrawal", -JHT_12_MONTHS, date(2025, 3, 3))]
    assert trail(claim) == [
        ("member:web", "submitted", "", "submitted"),
        ("staff:rina", "verification_started", "submitted", "verifying"),
        ("staff:budi", "approved", "verifying", "approved"),
        ("staff:sari", "paid", "approved", "paid"),
    ]


def test_the_member_follows_the_claim_status(resigned):
    claim = submit(resigned)
    approve(claim.number)
    claim_pay(number=claim.number, actor=TREASURER, now=LATER)
    view = claim_get(number=claim.number, person_id=resigned.person_id).as_json()
    assert view == {
        "number": claim.number,
        "kpj": KPJ,
        "reason": "resignation",
        "status": "paid",
        "open": False,
        "verification": "self_service",
        "verified": False,
        "submitted_at": view["submitted_at"],
        "event_date": None,
        "estimate": {"gross": JHT_12_MONTHS, "tax": 0, "net": JHT_12_MONTHS},
        "rejection_reason": None,
        "paid": {"on": "2025-03-03", "gross": JHT_12_MONTHS, "tax": 0, "net": JHT_12_MONTHS},
        "events": [
            {"at": e.at.isoformat(), "action": e.action, "status": e.to_status, "by": e.actor.split(":")[0]}
            for e in claim.events.order_by("id")
        ],
    }
    assert datetime.fromisoformat(view["submitted_at"]) == NOW
    assert [e["by"] for e in view["events"]] == ["member", "staff", "staff", "staff"]  # no staff names
    assert [c.number for c in claims_list(kpj=KPJ, person_id=resigned.person_id)] == [claim.number]


def test_verify_ledger_is_clean_after_a_paid_claim(resigned):
    post_entries(account_of(resigned), [(date(2024, 12, 31), 60_000_000 - JHT_12_MONTHS)], key="opening")
    claim = submit(resigned, verification="branch_visit")
    claim_verification_start(number=claim.number, actor=VERIFIER, now=NOW)
    claim_verification_record(number=claim.number, actor=VERIFIER, now=NOW, note="KTP asli dicocokkan di cabang")
    claim_approve(number=claim.number, actor=APPROVER, now=NOW)
    claim_pay(number=claim.number, actor=TREASURER, now=LATER)

    out = StringIO()
    call_command("verify_ledger", stdout=out)
    assert out.getvalue().strip() == "Buku besar cocok: setiap saldo sama dengan jumlah entrinya."
    assert ledger_mismatches() == []
    entries = Entry.objects.filter(posting__key=f"claim:{claim.id}").order_by("kind").values_list("kind", "amount")
    assert list(entries) == [("tax", -500_000), ("withdrawal", -59_500_000)]
    assert balances_get(membership_id=resigned.id, as_of=date(2025, 3, 3))["JHT"].amount == 0


def test_a_partial_claim_reduces_the_account_and_it_keeps_earning(resigned):
    claim = submit(resigned, reason="partial_10")
    approve(claim.number)
    claim_pay(number=claim.number, actor=TREASURER, now=LATER)
    assert account_of(resigned).balance == JHT_12_MONTHS - JHT_12_MONTHS // 10
    assert claim_estimate_get(kpj=KPJ, reason="partial_30", as_of=AS_OF, person_id=None).eligibility.as_json()[
        "conditions"
    ][0]["code"] == "partial_already_taken"


def test_an_age_claim_pays_the_jp_lump_sum_too():
    """59 in 2025 (the JP pension age) with 10 years of JP iuran: the JP account is paid as a lump sum."""
    membership = make_member(kpj="55500000009", birth_date=date(1966, 1, 1), start_date=date(2015, 1, 1))
    for year in range(2015, 2025):
        for month in range(1, 13):
            post_contribution(membership, f"{year}-{month:02d}", 5_000_000)
    jht, jp = account_of(membership).balance, account_of(membership, Programme.JP).balance
    claim = submit(membership, reason="age", verification="video_call")
    claim_verification_start(number=claim.number, actor=VERIFIER, now=NOW)
    claim_verification_record(number=claim.number, actor=VERIFIER, now=NOW)
    claim_approve(number=claim.number, actor=APPROVER, now=NOW)
    paid = claim_pay(number=claim.number, actor=TREASURER, now=LATER)
    assert (jht, jp) == (34_200_000, 17_100_000)
    # 51.3M in all: 5% of the 1.3M above 50M, split over the two accounts by their gross.
    assert (paid.paid_jht, paid.paid_jp, paid.paid_tax) == (jht, jp, 65_000)
    entries = Entry.objects.filter(posting=paid.posting).values_list("account__programme", "kind", "amount")
    assert sorted(entries) == [
        ("JHT", "tax", -43_334), ("JHT", "withdrawal", -34_156_666), ("JP", "tax", -21_666),
        ("JP", "withdrawal", -17_078_334),
    ]  # fmt: skip
    assert [a.balance for a in Account.objects.filter(membership=membership).order_by("programme")] == [0, 0]


def test_claims_paid_within_two_calendar_years_are_taxed_together():
    """40M from one KPJ in 2024 (no tax), then 20M from another in 2025: 500,000 on the second."""
    first = make_resigned_member(kpj="55500000011", left_on=date(2024, 5, 10), months=1)
    post_entries(account_of(first), [(date(2024, 4, 30), 40_000_000 - 285_000)], key="opening:1")
    second = make_resigned_member(kpj="55500000012", left_on=date(2025, 1, 15), months=1, person=first.person)
    post_entries(account_of(second), [(date(2024, 12, 31), 20_000_000 - 285_000)], key="opening:2")
    for membership, when in ((first, datetime(2024, 7, 1, 9, tzinfo=ZoneInfo("Asia/Jakarta"))), (second, LATER)):
        claim = submit(membership, as_of=when.date(), now=when, verification="video_call")
        claim_verification_start(number=claim.number, actor=VERIFIER, now=when)
        claim_verification_record(number=claim.number, actor=VERIFIER, now=when)
        claim_approve(number=claim.number, actor=APPROVER, now=when)
        paid = claim_pay(number=claim.number, actor=TREASURER, now=when)
    assert (paid.paid_jht, paid.paid_tax) == (20_000_000, 500_000)


# --- routing to staff verification -------------------------------------------------------------


def test_above_the_self_service_limit_staff_must_verify_before_approving(resigned):
    post_entries(account_of(resigned), [(date(2024, 12, 31), 10_000_001 - JHT_12_MONTHS)], key="opening")
    claim = submit(resigned)
    assert claim.verification == "video_call"
    claim_verification_start(number=claim.number, actor=VERIFIER, now=NOW)
    with pytest.raises(ClaimStateError) as refused:
        claim_approve(number=claim.number, actor=APPROVER, now=NOW)
    assert refused.value.code == "verification_required"
    claim_verification_record(number=claim.number, actor=VERIFIER, now=NOW, note="video call 10 menit, wajah cocok")
    assert claim_approve(number=claim.number, actor=APPROVER, now=NOW).status == "approved"
    assert ("staff:rina", "verified", "verifying", "verifying") in trail(claim)


def test_at_the_limit_the_claim_is_self_service(resigned, settings):
    settings.SALDO_CLAIMS = {**settings.SALDO_CLAIMS, "SELF_SERVICE_LIMIT": JHT_12_MONTHS}
    assert submit(resigned).verification == "self_service"


def test_the_member_may_ask_for_a_branch_visit(resigned):
    post_entries(account_of(resigned), [(date(2024, 12, 31), 20_000_000)], key="opening")
    assert submit(resigned, verification="branch_visit").verification == "branch_visit"


def test_a_self_service_claim_has_no_staff_verification_to_record(resigned):
    claim = submit(resigned)
    claim_verification_start(number=claim.number, actor=VERIFIER, now=NOW)
    with pytest.raises(ClaimStateError) as refused:
        claim_verification_record(number=claim.number, actor=VERIFIER, now=NOW)
    assert refused.value.code == "verification_not_needed"


def test_death_claims_are_made_by_heirs_and_always_verified_by_staff():
    membership = make_member(kpj="55500000021", start_date=date(2020, 1, 1))
    post_contribution(membership, "2025-01", 5_000_000)
    claim = submit(membership, reason="death", event_date=date(2025, 2, 10), heir_name="AHMAD (suami)",
                   person_id=None)  # fmt: skip  (staff enter it for the heirs)
    assert (claim.verification, claim.heir_name, claim.event_date) == ("video_call", "AHMAD (suami)", date(2025, 2, 10))


# --- reject and cancel -------------------------------------------------------------------------


def test_staff_reject_with_a_reason_the_member_reads(resigned):
    claim = submit(resigned)
    claim_verification_start(number=claim.number, actor=VERIFIER, now=NOW)
    claim_reject(number=claim.number, actor=VERIFIER, reason="surat keterangan tidak terbaca", now=NOW)
    view = claim_get(number=claim.number, person_id=resigned.person_id)
    assert (view.status, view.rejection_reason) == ("rejected", "surat keterangan tidak terbaca")
    assert submit(resigned).status == "submitted"  # a new application is possible


def test_a_rejection_needs_a_reason(resigned, document_root):
    claim = submit(resigned)
    before = everything(document_root)
    with pytest.raises(ValidationError):
        claim_reject(number=claim.number, actor=VERIFIER, reason="  ", now=NOW)
    assert everything(document_root) == before


def test_the_member_may_cancel_before_approval(resigned):
    claim = submit(resigned)
    claim_verification_start(number=claim.number, actor=VERIFIER, now=NOW)
    cancelled = claim_cancel(number=claim.number, person_id=resigned.person_id, actor=MEMBER, now=NOW)
    assert cancelled.status == "cancelled"
    assert trail(claim)[-1] == ("member:web", "cancelled", "verifying", "cancelled")


def test_not_after_approval(resigned, document_root):
    claim = submit(resigned)
    approve(claim.number)
    before = everything(document_root)
    with pytest.raises(ClaimStateError) as refused:
        claim_cancel(number=claim.number, person_id=resigned.person_id, actor=MEMBER, now=NOW)
    assert refused.value.code == "claim_not_cancellable"
    assert everything(document_root) == before


@pytest.mark.parametrize(
    "step",
    [
        lambda n: claim_approve(number=n, actor=APPROVER, now=NOW),  # not yet verifying
        lambda n: claim_pay(number=n, actor=TREASURER, now=NOW),  # not approved
    ],
)
def test_steps_out_of_order_are_refused(resigned, document_root, step):
    claim = submit(resigned)
    before = everything(document_root)
    with pytest.raises(ClaimStateError) as refused:
        step(claim.number)
    assert refused.value.code == "claim_invalid_transition"
    assert everything(document_root) == before


def test_a_claim_is_paid_once(resigned, document_root):
    claim = submit(resigned)
    approve(claim.number)
    claim_pay(number=claim.number, actor=TREASURER, now=LATER)
    before = everything(document_root)
    with pytest.raises(ClaimStateError) as refused:
        claim_pay(number=claim.number, actor=TREASURER, now=LATER)
    assert refused.value.code == "claim_already_paid"
    assert everything(document_root) == before
    # And the account, now closed, cannot be claimed again.
    with pytest.raises(NotEligible) as refused:
        submit(resigned)
    assert [c.code for c in refused.value.eligibility.conditions] == ["account_closed"]


# --- bad input: a clear error, nothing changed -------------------------------------------------


def test_someone_elses_kpj_is_not_found(resigned, document_root):
    stranger = make_member(kpj="55500000099")
    before = everything(document_root)
    with pytest.raises(NotFound) as refused:
        submit(resigned, person_id=stranger.person_id)
    assert refused.value.code == "kpj_not_found"
    with pytest.raises(NotFound) as missing:
        claim_estimate_get(kpj="99999999999", reason="resignation", as_of=AS_OF, person_id=stranger.person_id)
    assert str(missing.value) == "KPJ 99999999999 tidak ditemukan"
    with pytest.raises(NotFound):
        claim_estimate_get(kpj=KPJ, reason="resignation", as_of=AS_OF, person_id=stranger.person_id)
    assert everything(document_root) == before


def test_someone_elses_claim_is_not_found(resigned):
    claim = submit(resigned)
    stranger = make_member(kpj="55500000099")
    with pytest.raises(NotFound) as refused:
        claim_get(number=claim.number, person_id=stranger.person_id)
    assert refused.value.code == "claim_not_found"
    with pytest.raises(NotFound):
        claim_cancel(number=claim.number, person_id=stranger.person_id, actor=MEMBER, now=NOW)
    assert Claim.objects.get(id=claim.id).status == "submitted"


def test_a_second_open_claim_for_the_same_account_is_refused(resigned, document_root):
    first = submit(resigned)
    before = everything(document_root)
    with pytest.raises(ClaimAlreadyOpen) as refused:
        submit(resigned, reason="partial_10")
    assert (refused.value.code, refused.value.number) == ("claim_already_open", first.number)
    assert everything(document_root) == before


def test_the_database_holds_one_open_claim_per_account(resigned):
    claim = submit(resigned)
    duplicate = Claim(
        membership=resigned, person_id=resigned.person_id, reason="dismissal", verification="self_service",
        bank_account=BANK, submitted_at=NOW, estimated_gross=0, estimated_tax=0,
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert Claim.objects.filter(membership=resigned).count() == 1 and claim.is_open


def test_an_upload_that_is_not_what_its_name_says_is_refused(resigned, document_root):
    documents = claim_documents("resignation")
    documents[1] = DocumentUpload("ktp", "ktp.pdf", PNG_BYTES)
    before = everything(document_root)
    with pytest.raises(DocumentsRejected) as refused:
        submit(resigned, documents=documents)
    assert refused.value.code == "documents_invalid"
    assert [p.as_json() for p in refused.value.problems] == [
        {"code": "document_type_mismatch", "field": "documents[1]",
         "message": "isi berkas ktp.pdf tidak sesuai namanya (isinya PNG)"},
    ]  # fmt: skip
    assert everything(document_root) == before


def test_missing_documents_are_listed(resigned, document_root):
    before = everything(document_root)
    with pytest.raises(DocumentsRejected) as refused:
        submit(resigned, documents=[DocumentUpload("ktp", "ktp.pdf", PDF_BYTES)])
    assert [(p.code, p.message) for p in refused.value.problems] == [
        ("documents_missing", "dokumen wajib: kartu peserta (KPJ)"),
        ("documents_missing", "dokumen wajib: surat keterangan berhenti bekerja dari pemberi kerja"),
    ]
    assert everything(document_root) == before


def test_a_reason_not_in_the_table_is_refused(resigned, document_root):
    before = everything(document_root)
    with pytest.raises(UnknownReason) as refused:
        submit(resigned, reason="holiday", documents=claim_documents("resignation"))
    assert refused.value.code == "reason_unknown"
    assert everything(document_root) == before


def test_a_member_not_yet_eligible_is_told_why(resigned, document_root):
    before = everything(document_root)
    with pytest.raises(NotEligible) as refused:
        submit(resigned, as_of=date(2025, 2, 1))
    assert refused.value.code == "not_eligible"
    assert refused.value.message == (
        "belum dapat mengajukan klaim: masa tunggu 1 bulan setelah berhenti bekerja berakhir pada 15-02-2025"
    )
    assert everything(document_root) == before


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"bank_account": "abc"}, "bank_account"), ({"bank_account": ""}, "bank_account"),
     ({"verification": "carrier_pigeon"}, "verification")],
)  # fmt: skip
def test_bad_fields_are_refused(resigned, document_root, kwargs, field):
    before = everything(document_root)
    with pytest.raises(ValidationError) as refused:
        submit(resigned, **kwargs)
    assert [e.field for e in refused.value.errors] == [field]
    assert everything(document_root) == before


def test_a_death_claim_needs_the_heirs_name():
    membership = make_member(kpj="55500000021")
    post_contribution(membership, "2025-01", 5_000_000)
    with pytest.raises(ValidationError) as refused:
        submit(membership, reason="death", event_date=date(2025, 2, 10))
    assert [e.field for e in refused.value.errors] == ["heir_name"]


def test_a_reason_that_needs_a_date_refuses_an_application_without_it(document_root):
    membership = make_member(kpj="55500000021")
    post_contribution(membership, "2025-01", 5_000_000)
    before = everything(document_root)
    with pytest.raises(ValidationError) as refused:
        submit(membership, reason="disability")
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("event_date", "tanggal kejadian (cacat total tetap) wajib diisi")]
    assert everything(document_root) == before


# --- documents and the trail -------------------------------------------------------------------


def test_the_documents_are_kept_privately_with_their_detected_type(resigned, document_root):
    claim = submit(resigned)
    documents = list(claim.documents.order_by("id"))
    assert [(d.kind, d.original_name, d.content_type, d.size) for d in documents] == [
        ("kpj_card", "kpj_card.pdf", "application/pdf", len(PDF_BYTES)),
        ("ktp", "ktp.pdf", "application/pdf", len(PDF_BYTES)),
        ("resignation_letter", "resignation_letter.pdf", "application/pdf", len(PDF_BYTES)),
    ]
    for document in documents:
        path = document_path(document.path)
        assert path.read_bytes() == PDF_BYTES and stat.S_IMODE(path.stat().st_mode) == 0o600
        assert document_root.resolve() in path.parents and document.original_name not in str(path)


def test_the_trail_cannot_be_changed(resigned):
    claim = submit(resigned)
    event = claim.events.get()
    event.note = "rewritten"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE claims_claimevent SET actor = 'staff:nobody' WHERE id = %s", [event.id])
    assert ClaimEvent.objects.get(id=event.id).actor == "member:web"
