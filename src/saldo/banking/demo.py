"""`make run` only: a bank where every account belongs to whoever asks, so the demo's members can
file a claim without a bank behind it. Chosen by settings.py when SALDO_DEMO_OUTBOX is set (as
`make run` does) and SALDO_BANK_ADAPTER is not; it refuses to answer anywhere else, so a
production configuration that named it by mistake files no claim rather than paying anyone."""

import secrets
from collections.abc import Mapping

from django.conf import settings

from saldo.banking.errors import InquiryRefused
from saldo.banking.port import AccountHolder


class DemoAccountInquiry:
    def __init__(self, config: Mapping):
        self.config = config

    def account_holder(self, *, bank_code: str, account_number: str, expected_name: str = "") -> AccountHolder:
        if not settings.DEMO_OUTBOX:
            raise InquiryRefused(code="bank_not_configured", detail="the demo bank answers only with SALDO_DEMO_OUTBOX")
        return AccountHolder(
            name=expected_name or "PESERTA DEMO",
            bank_code=bank_code,
            account_number=account_number,
            reference=f"DEMO-{secrets.token_hex(8)}",
        )
