"""What a claim service refuses, each with a stable code (core/errors.py hierarchy).

A refused call changes nothing. Channels map: NotFound -> 404, ValidationError (UnknownReason,
DocumentsRejected) -> 422 with the field errors, the others -> 409 (the claim's state forbids it).
"""

from django.utils.translation import gettext as _

from saldo.claims.documents import DocumentProblem
from saldo.claims.eligibility import Eligibility
from saldo.claims.rules import UnknownReason
from saldo.core.errors import FieldError, SaldoError, ValidationError

__all__ = [
    "BankAccountRejected",
    "ClaimAlreadyOpen",
    "ClaimStateError",
    "DocumentsRejected",
    "NotEligible",
    "StaffOnly",
    "UnknownReason",
]


class NotEligible(SaldoError):
    """The member may not claim this reason on this date; `eligibility` says why and from when."""

    code = "not_eligible"

    def __init__(self, eligibility: Eligibility):
        self.eligibility = eligibility
        reasons = "; ".join(c.message for c in eligibility.conditions)
        super().__init__(_("belum dapat mengajukan klaim: %(reasons)s") % {"reasons": reasons})


class ClaimAlreadyOpen(SaldoError):
    """The KPJ already has a claim in progress (`number`); one at a time per account."""

    code = "claim_already_open"

    def __init__(self, number: str):
        self.number = number
        super().__init__(_("KPJ ini masih punya klaim yang sedang diproses (%(number)s)") % {"number": number})


class DocumentsRejected(ValidationError):
    """Some uploads are not acceptable or required documents are missing; `problems` lists each
    with its own code (documents.Problem)."""

    code = "documents_invalid"

    def __init__(self, problems: list[DocumentProblem]):
        self.problems = list(problems)
        super().__init__([FieldError(p.field, p.message) for p in self.problems])


class ClaimStateError(SaldoError):
    """The claim's status does not allow this step (e.g. cancelling an approved claim, paying
    twice). Codes: claim_not_cancellable, claim_already_paid, claim_invalid_transition,
    verification_required, rejection_reason_required."""

    code = "claim_invalid_transition"


class BankAccountRejected(ValidationError):
    """The bank says the account does not exist or cannot receive money (bank_account_not_found,
    bank_account_inactive) or is held by someone other than the payee (bank_account_name_mismatch):
    a field error on bank_account. (The bank being unreachable is saldo.banking.errors.InquiryFailed:
    nothing is wrong with the input, the member tries again later.)"""

    code = "bank_account_rejected"

    def __init__(self, message: str, *, code: str):
        super().__init__([FieldError("bank_account", message)], message=message)
        self.code = code


class StaffOnly(SaldoError):
    """A step only the fund's staff may take (e.g. changing a claim's bank account)."""

    code = "staff_only"
