"""account_holder_verify: the bank's holder must be who the money is for (names compared without
case, spacing, punctuation or titles), and every inquiry is recorded, answered or not, with the
account's last four digits only."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from saldo.banking.errors import AccountNotFound, HolderNameMismatch, InquiryRefused, InquiryUnavailable
from saldo.banking.models import BankInquiry
from saldo.banking.port import inquiry_adapter
from saldo.banking.services import account_holder_verify
from saldo.banking.snap import SnapAccountInquiry

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def verify(name="SITI AMINAH", number="123-456 7890", bank_code="014", **kwargs):
    return account_holder_verify(bank_code=bank_code, account_number=number, name=name, asked_by="member:web",
                                 kpj="55500000001", purpose="claim_submit", now=NOW, **kwargs)


def recorded() -> list[tuple]:
    return list(BankInquiry.objects.order_by("id").values_list(
        "asked_by", "purpose", "kpj", "claim_number", "bank_code", "account_tail", "result"))


def test_the_holder_is_the_payee(bank):
    bank.open("HJ. SITI AMINAH, S.E.")
    holder = verify(name="Siti Aminah")
    assert (holder.name, holder.account_number) == ("HJ. SITI AMINAH, S.E.", "1234567890")
    assert recorded() == [("member:web", "claim_submit", "55500000001", "", "014", "7890", "ok")]
    assert BankInquiry.objects.get().reference == holder.reference != ""


def test_another_holder_is_a_mismatch_and_is_recorded(bank):
    bank.open("BUDI SANTOSO")
    with pytest.raises(HolderNameMismatch) as refused:
        verify(claim_number="KL-20250301-000001")
    assert refused.value.code == "bank_account_name_mismatch"
    assert "BUDI" not in refused.value.message  # someone else's name is not told
    assert recorded() == [
        ("member:web", "claim_submit", "55500000001", "KL-20250301-000001", "014", "7890",
         "bank_account_name_mismatch"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("arrange", "error", "result"),
    [
        (lambda bank: None, AccountNotFound, "bank_account_not_found"),
        (lambda bank: setattr(bank, "fail_status", 503), InquiryUnavailable, "bank_unavailable"),
    ],
)
def test_a_failed_inquiry_is_recorded_too(bank, arrange, error, result):
    arrange(bank)
    with pytest.raises(error):
        verify()
    assert recorded() == [("member:web", "claim_submit", "55500000001", "", "014", "7890", result)]


def test_the_whole_account_number_is_stored_nowhere(bank):
    bank.open("SITI AMINAH")
    verify()
    row = BankInquiry.objects.values().get()
    assert not any("1234567890" in str(value) for value in row.values())
    assert str(BankInquiry.objects.get()) == "014 ****7890 ok"


def test_inquiries_are_append_only(bank):
    bank.open("SITI AMINAH")
    verify()
    row = BankInquiry.objects.get()
    row.result = "rewritten"
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()


def test_the_adapter_is_the_one_the_settings_name_made_once(bank, settings):
    first = inquiry_adapter()
    assert isinstance(first, SnapAccountInquiry) and inquiry_adapter() is first
    settings.SALDO_BANK_INQUIRY = bank.config(TIMEOUT_SECONDS=2.0)
    assert inquiry_adapter() is not first


def test_the_demo_bank_answers_the_payees_name_only_in_the_demo(bank, settings):
    settings.SALDO_BANK_INQUIRY = {"ADAPTER": "saldo.banking.demo.DemoAccountInquiry"}
    settings.DEMO_OUTBOX = ""
    with pytest.raises(InquiryRefused) as refused:
        verify()
    assert refused.value.code == "bank_not_configured"
    settings.DEMO_OUTBOX = "/tmp/outbox"
    holder = verify(name="NENG KURNIASIH")
    assert holder.name == "NENG KURNIASIH" and holder.reference.startswith("DEMO-")
    assert [r[-1] for r in recorded()] == ["bank_not_configured", "ok"]
    assert bank.requests == []
