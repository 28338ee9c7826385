"""Who holds a bank account, asked of the bank before money is paid into it.

    port.py      AccountInquiry (one call: account_holder) and the adapter SALDO_BANK_INQUIRY names
    snap.py      the default adapter: Bank Indonesia's SNAP account inquiry (B2B token, signed calls)
    demo.py      `make run` only: every account belongs to whoever asks
    services.py  account_holder_verify: ask, compare the name, record the inquiry (models.BankInquiry)
    banks.py     the common banks and their 3-digit BI codes (the portal's select)

Account numbers are never logged nor stored whole here: the audit keeps the last four digits.
"""
