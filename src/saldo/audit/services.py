from datetime import datetime

from saldo.audit.models import Disclosure

# disclosure_record's row, for a caller that must write it in the same SQL statement as what it
# discloses (channels.services stores an SMS reply and its audit rows in one statement): follow it
# with a SELECT giving channel, recipient, kpj, what, at.
DISCLOSURE_INSERT_SQL = "INSERT INTO audit_disclosure (channel, recipient, kpj, what, at)"


def disclosure_record(*, channel: str, recipient: str, kpj: str, what: str, at: datetime) -> Disclosure:
    """Write one disclosure to the audit trail; callers do it in the transaction that discloses."""
    return Disclosure.objects.create(channel=channel, recipient=recipient, kpj=kpj, what=what, at=at)
