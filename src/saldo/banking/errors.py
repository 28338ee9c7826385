"""What an account inquiry can end in besides the holder, each with a stable code.

    BankInquiryError
      AccountNotFound      bank_account_not_found, bank_account_inactive: the bank says no such
                           (usable) account; the member should check the bank and the number
      HolderNameMismatch   bank_account_name_mismatch: the account is someone else's
      InquiryFailed        the check could not be made; the member tries again later
        InquiryUnavailable bank_unavailable: timeout, no connection, 429 or 5xx
        InquiryRefused     bank_inquiry_refused (401/403: our credentials or signature),
                           bank_answer_invalid (no JSON, no responseCode, no holder name),
                           bank_not_configured (SALDO_BANK_* missing or unreadable)

Messages are for the member; `detail` is for operators (logs): the HTTP status and SNAP
responseCode, never a token, a key or a whole account number.
"""

from django.utils.translation import gettext as _

from saldo.banking.port import AccountHolder
from saldo.core.errors import SaldoError


class BankInquiryError(SaldoError):
    code = "bank_inquiry_failed"

    def __init__(self, message: str, *, code: str | None = None, detail: str = ""):
        super().__init__(message, code=code)
        self.detail = detail


class AccountNotFound(BankInquiryError):
    code = "bank_account_not_found"

    def __init__(self, *, inactive: bool = False, detail: str = ""):
        if inactive:
            message = _("Rekening ini tidak aktif dan tidak dapat menerima dana. Gunakan rekening lain yang aktif.")
            super().__init__(message, code="bank_account_inactive", detail=detail)
        else:
            message = _("Nomor rekening tidak ditemukan di bank yang dipilih. Periksa lagi bank dan nomor rekening.")
            super().__init__(message, detail=detail)


class HolderNameMismatch(BankInquiryError):
    """The bank named another holder. The name is kept for the audit, never shown to the asker."""

    code = "bank_account_name_mismatch"

    def __init__(self, holder: AccountHolder):
        super().__init__(_("Nama pemilik rekening tidak sama dengan nama penerima dana."))
        self.holder = holder


class InquiryFailed(BankInquiryError):
    """The holder could not be learnt now; nothing is wrong with the member's input."""

    code = "bank_inquiry_failed"

    def __init__(self, *, code: str | None = None, detail: str = ""):
        message = _("Bank tidak dapat dihubungi untuk memeriksa rekening. Silakan coba lagi nanti.")
        super().__init__(message, code=code, detail=detail)


class InquiryUnavailable(InquiryFailed):
    code = "bank_unavailable"


class InquiryRefused(InquiryFailed):
    code = "bank_inquiry_refused"
