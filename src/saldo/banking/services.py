"""Ask the bank who holds an account, check the holder is who the money is for, and record the
inquiry whatever came of it."""

from datetime import datetime

from saldo.banking.banks import account_digits, account_tail
from saldo.banking.errors import BankInquiryError, HolderNameMismatch
from saldo.banking.models import BankInquiry
from saldo.banking.port import AccountHolder, inquiry_adapter
from saldo.identity.services import names_match

OK = "ok"


def account_holder_verify(
    *,
    bank_code: str,
    account_number: str,
    name: str,
    asked_by: str,
    kpj: str,
    purpose: str,
    now: datetime,
    claim_number: str = "",
) -> AccountHolder:
    """The holder of `account_number` at `bank_code`, if the bank's name for them is `name`
    (names_match: case, spacing, punctuation and titles such as HJ., IR., S.E. aside).

    Raises AccountNotFound, HolderNameMismatch, InquiryUnavailable or InquiryRefused. The inquiry
    is written to BankInquiry before returning or raising, in the caller's transaction: a caller
    that wants refusals kept must not roll them back (claims.services asks before its own
    transaction)."""
    number = account_digits(account_number)
    record = {"at": now, "asked_by": asked_by[:100], "purpose": purpose, "kpj": kpj, "claim_number": claim_number,
              "bank_code": bank_code, "account_tail": account_tail(number)}
    try:
        holder = inquiry_adapter().account_holder(bank_code=bank_code, account_number=number, expected_name=name)
    except BankInquiryError as failed:
        BankInquiry.objects.create(**record, result=failed.code)
        raise
    if not names_match(holder.name, name):
        BankInquiry.objects.create(**record, result=HolderNameMismatch.code, reference=holder.reference)
        raise HolderNameMismatch(holder)
    BankInquiry.objects.create(**record, result=OK, reference=holder.reference)
    return holder
