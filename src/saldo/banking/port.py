"""The port: who holds account `account_number` at bank `bank_code`.

An adapter is a class taking the SALDO_BANK_INQUIRY dict, with one method:

    account_holder(*, bank_code, account_number, expected_name="") -> AccountHolder

raising saldo.banking.errors (AccountNotFound, InquiryUnavailable, InquiryRefused). The number
is digits only. `expected_name` is the name the caller will compare with: a real bank adapter
never sends it anywhere (the bank must tell us, not be told); only the demo adapter echoes it.
SALDO_BANK_INQUIRY["ADAPTER"] names the class; one instance per configuration is kept for the
process, so an adapter may cache what its bank allows (SNAP's access token).
"""

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class AccountHolder:
    name: str  # as the bank has it, e.g. "SITI AMINAH" or "HJ. SITI AMINAH S.E."
    bank_code: str
    account_number: str
    reference: str  # the bank's reference of this inquiry (SNAP referenceNo), or ours


class AccountInquiry(Protocol):
    def account_holder(self, *, bank_code: str, account_number: str, expected_name: str = "") -> AccountHolder: ...


_adapters: dict[tuple, AccountInquiry] = {}
_lock = threading.Lock()
_KEPT = 8  # configurations kept (tests switch between a few; production has one)


def inquiry_adapter(config: Mapping | None = None) -> AccountInquiry:
    """The adapter SALDO_BANK_INQUIRY (or `config`) names, made once per configuration."""
    config = settings.SALDO_BANK_INQUIRY if config is None else config
    key = tuple(sorted((name, repr(value)) for name, value in config.items()))
    with _lock:
        adapter = _adapters.get(key)
        if adapter is None:
            if len(_adapters) >= _KEPT:
                _adapters.clear()
            adapter = _adapters[key] = import_string(config["ADAPTER"])(config)
        return adapter
