"""Layanan → Klaim JHT: behind the Cek Saldo PIN, every KPJ's eligibility per reason (each unmet
condition and the date it opens), the estimate for a reason (gross, tax, net), the application
with its documents, the claims with their status, and cancelling before approval. Another
person's KPJ or claim is a 404; a refused application changes nothing; every view is audited."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from saldo.audit.models import Disclosure
from saldo.claims.models import Claim, ClaimDocument, ClaimStatus
from saldo.claims.services import claim_submit, member_actor
from saldo.core.money import format_rupiah
from saldo.ledger.selectors import balances_get
from tests.factories import (
    JPG_BYTES,
    PDF_BYTES,
    bank_account_open,
    claim_documents,
    make_account,
    make_resigned_member,
)
from tests.portal.conftest import EMAIL, PASSWORD, PHONE, last_pin

CLAIMS = reverse("portal:claims")
PIN_PAGE = reverse("portal:balance-pin")
SEND_PIN = reverse("portal:balance-pin-request")
BANK = "1234567890"


def estimate_url(kpj: str) -> str:
    return reverse("portal:claim-estimate", args=[kpj])


def apply_url(kpj: str, reason: str) -> str:
    return reverse("portal:claim-apply", args=[kpj]) + f"?alasan={reason}"


def claim_url(number: str) -> str:
    return reverse("portal:claim", args=[number])


def cancel_url(number: str) -> str:
    return reverse("portal:claim-cancel", args=[number])


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def resignation_form(**changes) -> dict:
    """The resignation application: KPJ card (PDF), KTP (a JPG photo), the employer's letter."""
    data = {
        "document_0": pdf("kartu.pdf"),
        "document_1": SimpleUploadedFile("ktp.jpg", JPG_BYTES, content_type="image/jpeg"),
        "document_2": pdf("surat-berhenti.pdf"),
        "bank_code": "014",
        "bank_account": BANK,
    }
    return {**data, **changes}


def form_errors(response) -> dict:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture(autouse=True)
def documents_in_tmp(settings, tmp_path):
    settings.SALDO_CLAIMS = {**settings.SALDO_CLAIMS, "DOCUMENT_ROOT": tmp_path / "claim-documents"}
    return tmp_path / "claim-documents"


@pytest.fixture
def resigned():
    """BUDI SANTOSO, born 17 August 1990, member since 2015, resigned on 15 January 2025; his own
    account at BCA is 1234567890."""
    bank_account_open("BUDI SANTOSO", number=BANK)
    return make_resigned_member(name="BUDI SANTOSO", sex="M", birth_date=date(1990, 8, 17), phone=PHONE)


@pytest.fixture
def unlocked(client, resigned):
    account = make_account(resigned, email=EMAIL, password=PASSWORD, phone=PHONE, now=timezone.now())
    client.force_login(account.user)
    client.post(SEND_PIN)
    client.post(PIN_PAGE, {"pin": last_pin()})
    return client


@pytest.fixture
def stranger():
    """Someone else, with a claim of her own in progress."""
    membership = make_resigned_member(name="SITI AMINAH", phone="+6281299990000")
    claim = claim_submit(
        kpj=membership.kpj,
        person_id=membership.person_id,
        reason="resignation",
        documents=claim_documents("resignation"),
        **bank_account_open("SITI AMINAH", number="5550001111"),
        as_of=timezone.localdate(),
        now=timezone.now(),
        actor=member_actor("web"),
    )
    return membership, claim


def test_layanan_links_to_claims_behind_the_cek_saldo_pin(client, resigned):
    account = make_account(resigned, email=EMAIL, password=PASSWORD, phone=PHONE, now=timezone.now())
    client.force_login(account.user)
    assert f"{PIN_PAGE}?ke=klaim" in client.get(reverse("portal:services")).content.decode()
    assert client.get(CLAIMS)["Location"] == f"{PIN_PAGE}?ke=klaim"
    assert client.get(estimate_url(resigned.kpj))["Location"] == f"{PIN_PAGE}?ke=klaim"
    client.post(SEND_PIN)
    assert client.post(PIN_PAGE, {"pin": last_pin(), "ke": "klaim"})["Location"] == CLAIMS


def test_the_overview_says_per_reason_whether_and_from_when(unlocked, resigned):
    response = unlocked.get(CLAIMS)
    assert response.status_code == 200
    overview = response.context["rows"][0][0].overview
    by_reason = {e.reason: e for e in overview.eligibilities}
    assert by_reason["resignation"].eligible and by_reason["partial_10"].eligible
    assert not by_reason["age"].eligible
    assert by_reason["age"].eligible_from == date(2046, 8, 17)
    page = response.content.decode()
    assert "usia 56 tahun baru tercapai pada 17-08-2046" in page
    assert "Dapat diajukan mulai 17 Agustus 2046." in page
    jht = balances_get(membership_id=resigned.id, as_of=timezone.localdate())["JHT"].amount
    assert jht > 0 and format_rupiah(jht) in page
    assert "Belum ada klaim untuk KPJ ini." in page
    assert Disclosure.objects.filter(kpj=resigned.kpj, what="claim-overview", channel="web").count() == 1


def test_the_estimate_shows_gross_tax_and_net_for_the_reason_picked(unlocked, resigned):
    response = unlocked.post(estimate_url(resigned.kpj), {"reason": "resignation"})
    estimate = response.context["estimate"]
    jht = balances_get(membership_id=resigned.id, as_of=timezone.localdate())["JHT"].amount
    assert estimate.eligibility.eligible
    assert (estimate.payout.gross, estimate.payout.tax, estimate.payout.net) == (jht, 0, jht)
    page = response.content.decode()
    assert format_rupiah(jht) in page and "Anda dapat mengajukan klaim ini" in page
    assert apply_url(resigned.kpj, "resignation").replace("&", "&amp;") in page
    assert Disclosure.objects.filter(kpj=resigned.kpj, what="claim-estimate").count() == 1


def test_the_estimate_of_a_reason_not_yet_open_says_why_and_offers_no_application(unlocked, resigned):
    response = unlocked.get(estimate_url(resigned.kpj), {"reason": "age"})
    page = response.content.decode()
    assert "usia 56 tahun baru tercapai pada 17-08-2046" in page
    assert "Dapat diajukan mulai 17 Agustus 2046." in page
    assert reverse("portal:claim-apply", args=[resigned.kpj]) not in page


def test_a_reason_that_needs_a_date_asks_for_it(unlocked, resigned):
    without = unlocked.post(estimate_url(resigned.kpj), {"reason": "leaving_indonesia"})
    assert [c.code for c in without.context["estimate"].eligibility.conditions] == ["event_date_missing"]
    assert without.context["can_apply"]  # the application form asks for the date
    with_date = unlocked.post(estimate_url(resigned.kpj), {"reason": "leaving_indonesia", "event_date": "01-03-2025"})
    assert with_date.context["estimate"].eligibility.eligible
    form = unlocked.get(apply_url(resigned.kpj, "leaving_indonesia")).context["form"]
    assert list(form.fields) == [
        "event_date", "document_0", "document_1", "document_2", "document_3", "bank_code", "bank_account"]


def test_where_any_one_of_several_documents_will_do_the_member_says_which(unlocked, resigned):
    form = unlocked.get(apply_url(resigned.kpj, "dismissal")).context["form"]
    assert [value for value, _ in form.fields["document_2_kind"].choices] == [
        "phk_labour_office",
        "phk_employer_notice",
        "phk_agreement",
        "phk_court_ruling",
    ]
    data = {**resignation_form(document_2=pdf("perjanjian-bersama.pdf")), "document_2_kind": "phk_agreement"}
    unlocked.post(apply_url(resigned.kpj, "dismissal"), data)
    claim = Claim.objects.get()
    assert claim.reason == "dismissal"
    assert ClaimDocument.objects.filter(claim=claim, kind="phk_agreement").exists()


def test_a_reason_not_in_the_table_is_a_form_error(unlocked, resigned):
    response = unlocked.get(estimate_url(resigned.kpj), {"reason": "holiday"})
    assert response.context["estimate"] is None
    assert list(form_errors(response)) == ["reason"]
    follow = unlocked.get(apply_url(resigned.kpj, "holiday"), follow=True)
    assert messages_of(follow) == [
        "alasan klaim 'holiday' tidak dikenal; pilih salah satu: age, resignation, dismissal, contract_end, "
        "leaving_indonesia, disability, death, partial_10, partial_30"
    ]


def test_applying_with_the_documents_gives_a_claim_number(unlocked, resigned):
    form = unlocked.get(apply_url(resigned.kpj, "resignation"))
    page = form.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "Surat keterangan berhenti bekerja dari pemberi kerja" in page

    response = unlocked.post(apply_url(resigned.kpj, "resignation"), resignation_form(), follow=True)
    claim = Claim.objects.get(membership=resigned)
    assert claim.number.startswith("KL-")
    assert response.redirect_chain[-1][0] == claim_url(claim.number)
    assert messages_of(response) == [f"Klaim Anda sudah diajukan. Nomor klaim: {claim.number}."]
    assert claim.status == ClaimStatus.SUBMITTED and claim.bank_account == BANK
    kinds = sorted(ClaimDocument.objects.filter(claim=claim).values_list("kind", "content_type"))
    assert kinds == [("kpj_card", "application/pdf"), ("ktp", "image/jpeg"), ("resignation_letter", "application/pdf")]
    assert claim.events.get().actor == "member:web"
    assert "Diajukan" in response.content.decode()
    # The claims page lists it, with its status.
    listed = unlocked.get(CLAIMS).content.decode()
    assert claim.number in listed and "Diajukan" in listed


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_kept(unlocked, resigned, documents_in_tmp):
    renamed = SimpleUploadedFile("ktp.jpg", PDF_BYTES, content_type="image/jpeg")  # a PDF called .jpg
    response = unlocked.post(apply_url(resigned.kpj, "resignation"), resignation_form(document_1=renamed))
    assert response.status_code == 200
    assert form_errors(response) == {"document_1": ["isi berkas ktp.jpg tidak sesuai namanya (isinya PDF)"]}
    text = SimpleUploadedFile("surat.pdf", b"hello, not a PDF", content_type="application/pdf")
    response = unlocked.post(apply_url(resigned.kpj, "resignation"), resignation_form(document_2=text))
    assert form_errors(response) == {"document_2": ["berkas surat.pdf bukan JPG, PNG atau PDF"]}
    assert not Claim.objects.exists()
    assert not any(p.is_file() for p in documents_in_tmp.rglob("*"))


def test_a_missing_document_or_bank_account_is_shown_on_its_field(unlocked, resigned):
    data = resignation_form()
    del data["document_2"]
    response = unlocked.post(apply_url(resigned.kpj, "resignation"), data)
    assert list(form_errors(response)) == ["document_2"]
    response = unlocked.post(apply_url(resigned.kpj, "resignation"), resignation_form(bank_account="12"))
    assert form_errors(response) == {"bank_account": ["nomor rekening bank harus 6 sampai 42 angka"]}
    assert not Claim.objects.exists()


def test_a_second_open_claim_for_the_kpj_is_refused(unlocked, resigned):
    unlocked.post(apply_url(resigned.kpj, "resignation"), resignation_form())
    first = Claim.objects.get()
    response = unlocked.post(apply_url(resigned.kpj, "resignation"), resignation_form())
    assert form_errors(response) == {
        "__all__": [
            f"KPJ ini masih punya klaim yang sedang diproses ({first.number}). Tunggu sampai klaim itu selesai, "
            "atau batalkan dulu."
        ]
    }
    assert Claim.objects.count() == 1


def test_an_application_the_member_may_not_make_yet_says_why(unlocked, resigned):
    data = {"document_0": pdf("kartu.pdf"), "document_1": pdf("ktp.pdf"), "bank_code": "014", "bank_account": BANK}
    response = unlocked.post(apply_url(resigned.kpj, "age"), data)
    assert form_errors(response) == {
        "__all__": ["Anda belum dapat mengajukan klaim ini:", "usia 56 tahun baru tercapai pada 17-08-2046"]
    }
    assert not Claim.objects.exists()


def test_the_member_cancels_a_claim_before_approval(unlocked, resigned):
    unlocked.post(apply_url(resigned.kpj, "resignation"), resignation_form())
    claim = Claim.objects.get()
    page = unlocked.get(claim_url(claim.number)).content.decode()
    assert cancel_url(claim.number) in page and "csrfmiddlewaretoken" in page
    assert unlocked.get(cancel_url(claim.number)).status_code == 405
    response = unlocked.post(cancel_url(claim.number), follow=True)
    assert messages_of(response) == [f"Klaim {claim.number} dibatalkan."]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CANCELLED
    assert cancel_url(claim.number) not in response.content.decode()
    again = unlocked.post(cancel_url(claim.number), follow=True)
    assert messages_of(again) == [f"klaim {claim.number} tidak dapat dibatalkan lagi (status: Dibatalkan)"]
    assert Disclosure.objects.filter(kpj=resigned.kpj, what="claim").exists()


def test_another_persons_kpj_or_claim_is_not_found(unlocked, stranger):
    membership, claim = stranger
    assert unlocked.get(estimate_url(membership.kpj), {"reason": "resignation"}).status_code == 404
    assert unlocked.get(estimate_url(membership.kpj)).status_code == 404
    assert unlocked.get(apply_url(membership.kpj, "resignation")).status_code == 404
    assert unlocked.post(apply_url(membership.kpj, "resignation"), resignation_form()).status_code == 404
    assert unlocked.get(claim_url(claim.number)).status_code == 404
    assert unlocked.post(cancel_url(claim.number)).status_code == 404
    assert unlocked.get(claim_url("KL-20260101-999999")).status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert Claim.objects.count() == 1
    assert not Disclosure.objects.filter(kpj=membership.kpj).exists()


@pytest.fixture
def english(unlocked):
    unlocked.cookies["django_language"] = "en"
    yield unlocked
    # The portal activates the member's language for the thread; later tests expect the default.
    translation.deactivate()


def test_the_claim_pages_in_english(english, resigned):
    unlocked = english
    unlocked.post(apply_url(resigned.kpj, "resignation"), resignation_form())
    claim = Claim.objects.get()
    page = unlocked.get(claim_url(claim.number)).content.decode()
    assert "Submitted" in page and "Cancel claim" in page
    overview = unlocked.get(CLAIMS).content.decode()
    assert "Can you claim today?" in overview


def test_above_the_self_service_limit_the_member_picks_how_staff_verify(unlocked, resigned, settings):
    settings.SALDO_CLAIMS = {**settings.SALDO_CLAIMS, "SELF_SERVICE_LIMIT": 1_000_000}
    form = unlocked.get(apply_url(resigned.kpj, "resignation")).context["form"]
    assert [value for value, _ in form.fields["verification"].choices] == ["video_call", "branch_visit"]
    unlocked.post(apply_url(resigned.kpj, "resignation"), resignation_form(verification="branch_visit"))
    claim = Claim.objects.get()
    assert claim.verification == "branch_visit"
    page = unlocked.get(claim_url(claim.number)).content.decode()
    assert "Kunjungan ke kantor cabang" in page and "Petugas akan menghubungi Anda" in page


def test_the_bank_is_chosen_from_the_list_of_banks(unlocked, resigned):
    page = unlocked.get(apply_url(resigned.kpj, "resignation")).content.decode()
    for option in ('<option value="014">BCA (Bank Central Asia)</option>', '<option value="451">BSI (Bank Syariah '
                   'Indonesia)</option>', '<option value="002">BRI (Bank Rakyat Indonesia)</option>'):
        assert option in page
    response = unlocked.post(apply_url(resigned.kpj, "resignation"), resignation_form(bank_code=""))
    assert list(form_errors(response)) == ["bank_code"]


def test_an_account_in_another_name_is_refused_on_its_field(unlocked, resigned, bank):
    bank.open("ORANG LAIN", number="5550001111")
    response = unlocked.post(apply_url(resigned.kpj, "resignation"), resignation_form(bank_account="5550001111"))
    assert form_errors(response) == {"bank_account": [
        "Nama pemilik rekening tidak sama dengan nama peserta. Klaim hanya dibayar ke rekening atas nama peserta "
        "sendiri."]}
    assert not Claim.objects.exists()


def test_a_bank_that_cannot_be_reached_says_try_again_later(unlocked, resigned, bank):
    bank.fail_status = 503
    response = unlocked.post(apply_url(resigned.kpj, "resignation"), resignation_form())
    assert form_errors(response) == {
        "__all__": ["Bank tidak dapat dihubungi untuk memeriksa rekening. Silakan coba lagi nanti."]}
    assert not Claim.objects.exists()
