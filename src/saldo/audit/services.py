from datetime import datetime

from saldo.audit.models import Disclosure


def disclosure_record(*, channel: str, recipient: str, kpj: str, what: str, at: datetime) -> Disclosure:
    """Write one disclosure to the audit trail; callers do it in the transaction that discloses."""
    return Disclosure.objects.create(channel=channel, recipient=recipient, kpj=kpj, what=what, at=at)
