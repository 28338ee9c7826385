"""The banks members are paid through most often, by their 3-digit Bank Indonesia code (the code
typed before the account number for a transfer between banks: *kode bank*, the SNAP
`beneficiaryBankCode`). The portal's select lists these; the API takes any 3-digit code and the
bank's inquiry answers whether the account exists there."""

import re

BANKS: dict[str, str] = {
    "002": "BRI (Bank Rakyat Indonesia)",
    "008": "Bank Mandiri",
    "009": "BNI (Bank Negara Indonesia)",
    "011": "Bank Danamon",
    "013": "Bank Permata",
    "014": "BCA (Bank Central Asia)",
    "016": "Maybank Indonesia",
    "022": "CIMB Niaga",
    "028": "OCBC NISP",
    "147": "Bank Muamalat",
    "200": "BTN (Bank Tabungan Negara)",
    "426": "Bank Mega",
    "451": "BSI (Bank Syariah Indonesia)",
}
BANK_CHOICES = sorted(BANKS.items(), key=lambda item: item[1])
BANK_CODE = re.compile(r"^[0-9]{3}\Z")


def bank_label(code: str) -> str:
    """"BCA (Bank Central Asia)" for 014; the code itself for a bank not in the table."""
    return BANKS.get(code, code)


def account_digits(number: str) -> str:
    """The account number as the bank knows it: digits only (members type 123-456 7890)."""
    return "".join(c for c in number if c.isdigit())


def account_tail(number: str) -> str:
    """The last four digits: all that the audit, the logs and the claim trail keep."""
    return account_digits(number)[-4:]


def account_masked(number: str) -> str:
    """****7890"""
    tail = account_tail(number)
    return f"****{tail}" if tail else ""
