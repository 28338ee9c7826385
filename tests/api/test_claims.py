"""JHT claims through the API: the reasons, eligibility and estimate, the application with its
documents, the member's claims with their trail, and cancelling. Refusals change nothing: no claim,
no file, no audit row."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from saldo.audit.models import Disclosure
from saldo.claims.models import Claim, ClaimDocument, ClaimEvent
from saldo.claims.services import claim_approve, claim_verification_start
from tests.api.conftest import sign_in
from tests.factories import (
    PDF_BYTES,
    PNG_BYTES,
    bank_account_open,
    make_claim_crew,
    make_member,
    make_resigned_member,
    post_contribution,
)

KPJ = "55500000001"
PHONE = "+628111222333"
JHT_12_MONTHS = 12 * 285_000  # 5,000,000 a month in 2024: JHT 185,000 + 100,000
JP_12_MONTHS = 12 * 150_000
MAX = 6 * 1024 * 1024


# The app reads today's date: these tests name it (the resigned member's waiting period is long over).
TODAY = date(2026, 11, 20)
STAFF_AT = datetime(2026, 11, 20, 11, 0, tzinfo=ZoneInfo("Asia/Jakarta"))  # staff act later that day
pytestmark = pytest.mark.today(TODAY)


@pytest.fixture
def resigned():
    """Left PT MAJU JAYA on 15 January 2025 (reported), 12 months of iuran in 2024, signed in."""
    membership = make_resigned_member(kpj=KPJ, name="RINI ASTUTI", phone=PHONE)
    bank_account_open("RINI ASTUTI")  # her own account at BCA, 1234567890
    return sign_in(membership, email="rini@example.com", phone=PHONE)


def application(**fields) -> dict:
    """A resignation claim with its three documents: the KTP a photo, the rest PDFs."""
    return {
        "reason": "resignation",
        "bank_code": "014",
        "bank_account": "1234567890",
        "document_kinds": ["kpj_card", "ktp", "resignation_letter"],
        "documents": [("kartu.pdf", PDF_BYTES), ("ktp.png", PNG_BYTES), ("surat-berhenti.pdf", PDF_BYTES)],
    } | fields


def apply(member, kpj: str = KPJ, language: str | None = None, **fields):
    return member.api.post_form(f"/cards/{kpj}/claims", application(**fields), language=language)


def everything(document_root):
    """What a refused request must leave as it was: claims, documents, trail, audit, files."""
    return (
        list(Claim.objects.order_by("id").values_list("id", "status")),
        ClaimDocument.objects.count(),
        ClaimEvent.objects.count(),
        Disclosure.objects.count(),
        sorted(p.name for p in document_root.rglob("*") if p.is_file()),
    )


def problem(answer) -> tuple:
    body = answer.json()
    assert answer["Content-Type"] == "application/problem+json"
    return answer.status_code, body["code"], body["errors"]


def test_claims_need_the_members_token(api, resigned):
    for answer in (api.get("/claim-reasons"), api.get(f"/cards/{KPJ}/claims/estimate", reason="resignation"),
                   api.post_form(f"/cards/{KPJ}/claims", application()), api.post("/claims/KL-20250101-000001/cancel")):
        assert problem(answer)[:2] == (401, "unauthorized")
    assert Claim.objects.count() == 0


# --- the reasons --------------------------------------------------------------------------------


def test_the_reasons_say_what_each_needs_and_which_documents_to_upload(resigned):
    answer = resigned.api.get("/claim-reasons").json()
    reasons = {r["reason"]: r for r in answer["reasons"]}
    assert list(reasons) == ["age", "resignation", "dismissal", "contract_end", "leaving_indonesia", "disability",
                             "death", "partial_10", "partial_30"]
    assert reasons["resignation"] == {
        "reason": "resignation", "label": "mengundurkan diri", "percent": 100, "needs_event_date": False,
        "needs_heir_name": False, "always_staff_verified": False, "min_age": None, "waiting_months": 1,
        "min_membership_years": 0,
        "documents": [
            {"any_of": [{"kind": "kpj_card", "label": "kartu peserta (KPJ)"}]},
            {"any_of": [{"kind": "ktp", "label": "KTP / identitas"}]},
            {"any_of": [{"kind": "resignation_letter",
                         "label": "surat keterangan berhenti bekerja dari pemberi kerja"}]},
        ],
    }  # fmt: skip
    death = reasons["death"]
    assert (death["needs_event_date"], death["needs_heir_name"], death["always_staff_verified"]) == (True, True, True)
    assert [c["kind"] for c in death["documents"][3]["any_of"]] == ["heir_certificate", "heir_court_ruling"]
    assert (answer["accepted_types"], answer["max_upload_bytes"], answer["self_service_limit"]) == (
        ["application/pdf", "image/jpeg", "image/png"], MAX, 10_000_000)


def test_the_reasons_in_english(resigned):
    answer = resigned.api.get("/claim-reasons", language="en").json()
    resignation = next(r for r in answer["reasons"] if r["reason"] == "resignation")
    assert resignation["label"] == "resignation"
    assert resignation["documents"][0]["any_of"][0]["label"] == "membership card (KPJ)"


# --- eligibility and estimate -------------------------------------------------------------------


def test_an_eligible_member_sees_gross_tax_net_and_self_service(resigned):
    answer = resigned.api.get(f"/cards/{KPJ}/claims/estimate", reason="resignation", as_of="2025-03-01")
    assert answer.status_code == 200
    assert answer.json() == {
        "kpj": KPJ, "reason": "resignation", "reason_label": "mengundurkan diri", "as_of": "2025-03-01",
        "currency": "IDR", "eligible": True, "eligible_from": "2025-03-01", "conditions": [],
        "jht_balance": JHT_12_MONTHS, "jp_balance": JP_12_MONTHS,
        "payout": {"jht": JHT_12_MONTHS, "jp": 0, "gross": JHT_12_MONTHS, "tax": 0, "net": JHT_12_MONTHS},
        "tax_window": {"earlier_gross": 0, "earlier_tax": 0},
        "verification": "self_service", "self_service": True, "self_service_limit": 10_000_000,
    }  # fmt: skip


def test_before_the_waiting_month_every_unmet_condition_has_its_code_and_the_date_it_opens(resigned):
    answer = resigned.api.get(f"/cards/{KPJ}/claims/estimate", reason="resignation", as_of="2025-02-01").json()
    assert (answer["eligible"], answer["eligible_from"]) == (False, "2025-02-15")
    assert answer["conditions"] == [{
        "code": "waiting_period", "earliest": "2025-02-15",
        "message": "masa tunggu 1 bulan setelah berhenti bekerja berakhir pada 15-02-2025",
    }]  # fmt: skip
    assert answer["payout"]["net"] == JHT_12_MONTHS  # what it would pay on the balance of that day


def test_the_messages_follow_accept_language(resigned):
    answer = resigned.api.get(f"/cards/{KPJ}/claims/estimate", reason="resignation", as_of="2025-02-01",
                              language="en").json()
    assert answer["reason_label"] == "resignation"
    assert [c["message"] for c in answer["conditions"]] == [
        "the 1-month waiting period after leaving ends on 15-02-2025"]


def test_a_member_still_working_is_told_each_condition_and_that_no_date_can_be_promised(neng_in):
    answer = neng_in.api.get("/cards/68516716147/claims/estimate", reason="resignation").json()
    assert (answer["as_of"], answer["eligible"], answer["eligible_from"]) == (
        TODAY.isoformat(), False, None)
    assert [(c["code"], c["earliest"]) for c in answer["conditions"]] == [
        ("not_left_employer", None), ("membership_active", None)]


def test_an_age_claim_adds_the_jp_lump_sum_and_above_the_limit_staff_verify():
    """59 in 2025 (the JP pension age) with 10 years of JP iuran: the JP account is paid too."""
    membership = make_member(kpj="55500000009", birth_date=date(1966, 1, 1), start_date=date(2015, 1, 1), phone=PHONE)
    for year in range(2015, 2025):
        for month in range(1, 13):
            post_contribution(membership, f"{year}-{month:02d}", 5_000_000)
    member = sign_in(membership, email="tua@example.com", phone=PHONE)
    answer = member.api.get("/cards/55500000009/claims/estimate", reason="age", as_of="2025-03-01").json()
    assert answer["eligible"]
    # 51.3M in all: 5% of the 1.3M above the 50M free of tax.
    assert answer["payout"] == {"jht": 34_200_000, "jp": 17_100_000, "gross": 51_300_000, "tax": 65_000,
                                "net": 51_235_000}
    assert (answer["verification"], answer["self_service"]) == ("video_call", False)


def test_a_reason_not_in_the_table_is_422_with_its_code(resigned):
    answer = resigned.api.get(f"/cards/{KPJ}/claims/estimate", reason="holiday")
    status, code, errors = problem(answer)
    assert (status, code, [e["field"] for e in errors]) == (422, "reason_unknown", ["reason"])
    assert "resignation" in errors[0]["message"]


def test_the_estimate_is_in_the_audit_trail(resigned):
    resigned.api.get(f"/cards/{KPJ}/claims/estimate", reason="resignation")
    user_id = resigned.membership.person.member_account.user_id
    assert list(Disclosure.objects.values_list("channel", "recipient", "kpj", "what")) == [
        ("api", f"user:{user_id}", KPJ, "claim-estimate")]


# --- apply --------------------------------------------------------------------------------------


def test_applying_with_the_documents_gives_201_the_claim_number_and_its_status(resigned, document_root):
    answer = apply(resigned)
    assert answer.status_code == 201
    claim = answer.json()
    assert re.fullmatch(rf"KL-{TODAY:%Y%m%d}-[0-9]{{6}}", claim["number"])
    assert {k: v for k, v in claim.items() if k not in ("number", "submitted_at", "events")} == {
        "kpj": KPJ, "reason": "resignation", "reason_label": "mengundurkan diri", "status": "submitted",
        "status_label": "Diajukan", "open": True, "cancellable": True, "verification": "self_service",
        "verification_label": "Mandiri (pemeriksaan dokumen)", "verified": False, "event_date": None,
        "estimate": {"gross": JHT_12_MONTHS, "tax": 0, "net": JHT_12_MONTHS}, "rejection_reason": None,
        "paid": None,
    }  # fmt: skip
    assert [(e["action"], e["action_label"], e["status"], e["by"]) for e in claim["events"]] == [
        ("submitted", "Diajukan", "submitted", "member")]
    stored = Claim.objects.get(number=claim["number"])
    assert stored.events.get().actor == "member:api"
    assert list(stored.documents.order_by("id").values_list("kind", "original_name", "content_type", "size")) == [
        ("kpj_card", "kartu.pdf", "application/pdf", len(PDF_BYTES)),
        ("ktp", "ktp.png", "image/png", len(PNG_BYTES)),
        ("resignation_letter", "surat-berhenti.pdf", "application/pdf", len(PDF_BYTES)),
    ]
    assert sorted(p.read_bytes() for p in document_root.rglob("*") if p.is_file()) == sorted(
        [PDF_BYTES, PNG_BYTES, PDF_BYTES])
    assert Disclosure.objects.filter(kpj=KPJ, what="claim", channel="api").count() == 1


def test_a_claim_verified_by_staff_takes_the_members_choice(resigned, settings):
    settings.SALDO_CLAIMS = {**settings.SALDO_CLAIMS, "SELF_SERVICE_LIMIT": 1_000_000}
    claim = apply(resigned, verification="branch_visit").json()
    assert (claim["verification"], claim["verification_label"]) == ("branch_visit", "Kunjungan ke kantor cabang")


def test_a_file_named_pdf_that_is_really_text_is_refused_each_problem_listed_and_nothing_kept(
        resigned, document_root):
    before = everything(document_root)
    documents = [("kartu.pdf", b"ini bukan PDF, hanya teks"), ("ktp.pdf", PNG_BYTES), ("surat.pdf", PDF_BYTES)]
    answer = apply(resigned, documents=documents)
    assert problem(answer) == (422, "documents_invalid", [
        {"field": "documents[0]", "code": "document_type_not_allowed",
         "message": "berkas kartu.pdf bukan JPG, PNG atau PDF"},
        {"field": "documents[1]", "code": "document_type_mismatch",
         "message": "isi berkas ktp.pdf tidak sesuai namanya (isinya PNG)"},
    ])  # fmt: skip
    assert everything(document_root) == before


def test_a_document_over_6_mb_is_refused(resigned, document_root):
    before = everything(document_root)
    too_big = PDF_BYTES + b"0" * (MAX + 1 - len(PDF_BYTES))
    answer = apply(resigned, documents=[("kartu.pdf", PDF_BYTES), ("ktp.pdf", too_big), ("surat.pdf", PDF_BYTES)])
    assert problem(answer) == (422, "documents_invalid", [
        {"field": "documents[1]", "code": "document_too_large", "message": "berkas ktp.pdf lebih dari 6 MB"}])
    assert everything(document_root) == before


def test_a_missing_required_document_is_named(resigned, document_root):
    before = everything(document_root)
    answer = apply(resigned, document_kinds=["kpj_card", "ktp"], documents=[("a.pdf", PDF_BYTES), ("b.pdf", PDF_BYTES)],
                   language="en")
    assert problem(answer) == (422, "documents_invalid", [
        {"field": "documents", "code": "documents_missing",
         "message": "required document: the employer's letter confirming you left"}])
    assert everything(document_root) == before


def test_one_kind_per_file_is_needed(resigned, document_root):
    before = everything(document_root)
    status, code, errors = problem(apply(resigned, document_kinds=["kpj_card", "ktp"]))
    assert (status, code, [e["field"] for e in errors]) == (422, "invalid", ["document_kinds"])
    assert everything(document_root) == before


def test_an_application_for_a_reason_not_in_the_table_is_422(resigned, document_root):
    before = everything(document_root)
    status, code, errors = problem(apply(resigned, reason="holiday"))
    assert (status, code, [e["field"] for e in errors]) == (422, "reason_unknown", ["reason"])
    assert everything(document_root) == before


def test_the_fields_a_reason_needs_are_asked_for(resigned, document_root):
    before = everything(document_root)
    answer = apply(resigned, reason="death", bank_account="rekening", document_kinds=[], documents=[])
    status, code, errors = problem(answer)
    assert (status, code, [e["field"] for e in errors]) == (422, "invalid", ["bank_account", "event_date", "heir_name"])
    assert everything(document_root) == before


def test_a_body_that_is_no_readable_multipart_is_400(resigned, document_root):
    before = everything(document_root)
    answer = resigned.api.client.post(f"/api/v1/cards/{KPJ}/claims", b"--", content_type="multipart/form-data",
                                      headers={"Authorization": f"Bearer {resigned.access}"})
    assert problem(answer) == (400, "bad_request", [])
    assert everything(document_root) == before


def test_a_second_open_claim_for_the_same_kpj_is_409(resigned, document_root):
    first = apply(resigned).json()
    before = everything(document_root)
    status, code, _errors = problem(answer := apply(resigned))
    assert (status, code) == (409, "claim_already_open")
    assert first["number"] in answer.json()["detail"]
    assert everything(document_root) == before


def test_a_member_not_eligible_yet_is_told_why_with_each_code(neng_in, document_root):
    before = everything(document_root)
    status, code, errors = problem(apply(neng_in, kpj="68516716147"))
    assert (status, code) == (409, "not_eligible")
    assert [(e["field"], e["code"]) for e in errors] == [
        ("reason", "not_left_employer"), ("reason", "membership_active")]
    assert everything(document_root) == before


def test_another_members_kpj_is_404_exactly_like_one_that_does_not_exist(resigned, neng_in, document_root):
    before = everything(document_root)
    theirs = apply(neng_in, kpj=KPJ)
    nobodys = apply(neng_in, kpj="10000000009")
    assert theirs.status_code == nobodys.status_code == 404
    assert theirs.json() == nobodys.json() | {"detail": f"KPJ {KPJ} tidak ditemukan"}
    for path in (f"/cards/{KPJ}/claims", f"/cards/{KPJ}/claims/estimate?reason=resignation"):
        assert problem(neng_in.api.get(path)) == (404, "kpj_not_found", [])
    assert everything(document_root) == before


# --- status -------------------------------------------------------------------------------------


def test_the_kpj_lists_its_claims_with_status_and_trail(resigned):
    number = apply(resigned).json()["number"]
    verifier, _, _ = make_claim_crew()
    claim_verification_start(number=number, actor=verifier, now=STAFF_AT)
    answer = resigned.api.get(f"/cards/{KPJ}/claims").json()
    assert answer["kpj"] == KPJ
    [claim] = answer["claims"]
    assert (claim["number"], claim["status"], claim["status_label"]) == (number, "verifying", "Diverifikasi")
    # Staff are not named to the member.
    assert [(e["action"], e["by"]) for e in claim["events"]] == [("submitted", "member"),
                                                                ("verification_started", "staff")]
    assert Disclosure.objects.filter(kpj=KPJ, what="claims").count() == 1


def test_one_claim_by_its_number_with_its_events_in_english(resigned):
    number = apply(resigned).json()["number"]
    verifier, _, _ = make_claim_crew()
    claim_verification_start(number=number, actor=verifier, now=STAFF_AT)
    claim = resigned.api.get(f"/claims/{number}", language="en").json()
    assert (claim["status_label"], claim["verification_label"], claim["reason_label"]) == (
        "Being verified", "Self-service (document check)", "resignation")
    assert [(e["action_label"], e["status"]) for e in claim["events"]] == [
        ("Submitted", "submitted"), ("Verification started", "verifying")]
    assert Disclosure.objects.filter(kpj=KPJ, what="claim").count() == 2  # applying, then reading


def test_another_members_claim_number_is_404_exactly_like_one_that_does_not_exist(resigned, neng_in):
    number = apply(resigned).json()["number"]
    nobody = "KL-20250101-999999"
    for ask in (lambda n: neng_in.api.get(f"/claims/{n}"), lambda n: neng_in.api.post(f"/claims/{n}/cancel")):
        theirs, nobodys = ask(number), ask(nobody)
        assert problem(theirs) == problem(nobodys) == (404, "claim_not_found", [])
        assert theirs.content.decode().replace(number, nobody) == nobodys.content.decode()
    assert Claim.objects.get(number=number).status == "submitted"


def test_a_claim_number_of_the_wrong_shape_is_422(resigned):
    assert problem(resigned.api.get("/claims/12345"))[:2] == (422, "invalid")


# --- cancel -------------------------------------------------------------------------------------


def test_the_member_cancels_a_claim_not_yet_approved(resigned):
    number = apply(resigned).json()["number"]
    answer = resigned.api.post(f"/claims/{number}/cancel")
    assert answer.status_code == 200
    claim = answer.json()
    assert (claim["status"], claim["open"], claim["cancellable"]) == ("cancelled", False, False)
    assert [(e["action"], e["by"]) for e in claim["events"]] == [("submitted", "member"), ("cancelled", "member")]
    assert Claim.objects.get(number=number).events.last().actor == "member:api"
    # The account is free for a new application.
    assert apply(resigned).status_code == 201


def test_a_claim_cancelled_already_cannot_be_cancelled_again(resigned):
    number = apply(resigned).json()["number"]
    resigned.api.post(f"/claims/{number}/cancel")
    assert problem(resigned.api.post(f"/claims/{number}/cancel"))[:2] == (409, "claim_not_cancellable")


def test_after_approval_cancelling_is_409_and_changes_nothing(resigned, document_root):
    number = apply(resigned).json()["number"]
    now = STAFF_AT
    verifier, approver, _ = make_claim_crew()
    claim_verification_start(number=number, actor=verifier, now=now)
    claim_approve(number=number, actor=approver, now=now)
    before = everything(document_root)
    answer = resigned.api.post(f"/claims/{number}/cancel", language="en")
    assert problem(answer) == (409, "claim_not_cancellable", [])
    assert answer.json()["detail"] == f"claim {number} can no longer be cancelled (status: Approved)"
    assert everything(document_root) == before


# --- the bank account: paid only to the member -------------------------------------------------


def test_a_claim_is_filed_only_to_an_account_in_the_members_name(resigned, bank, document_root):
    bank.open("ORANG LAIN", number="5550001111")
    before = everything(document_root)
    status, code, errors = problem(apply(resigned, bank_account="5550001111"))
    assert (status, code) == (422, "bank_account_name_mismatch")
    assert errors == [{"field": "bank_account", "message": "Nama pemilik rekening tidak sama dengan nama peserta. "
                       "Klaim hanya dibayar ke rekening atas nama peserta sendiri."}]
    assert everything(document_root) == before


def test_an_account_the_bank_does_not_know_is_422(resigned, document_root):
    before = everything(document_root)
    status, code, errors = problem(apply(resigned, bank_code="008"))  # her account is at BCA, not Mandiri
    assert (status, code, [e["field"] for e in errors]) == (422, "bank_account_not_found", ["bank_account"])
    assert everything(document_root) == before


def test_a_bank_that_cannot_be_asked_now_is_503_try_again_later(resigned, bank, document_root):
    bank.fail_status = 503
    before = everything(document_root)
    answer = apply(resigned, language="en")
    assert problem(answer) == (503, "bank_unavailable", [])
    assert answer.json()["detail"] == "The bank could not be reached to check the account. Please try again later."
    assert everything(document_root) == before


def test_the_bank_code_is_asked_for(resigned, document_root):
    fields = application()
    del fields["bank_code"]
    status, code, errors = problem(resigned.api.post_form(f"/cards/{KPJ}/claims", fields))
    assert (status, code, [e["field"] for e in errors]) == (422, "invalid", ["bank_code"])
    status, code, errors = problem(apply(resigned, bank_code="BCA"))
    assert (status, code, [e["field"] for e in errors]) == (422, "invalid", ["bank_code"])
