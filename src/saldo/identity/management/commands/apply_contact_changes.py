"""`saldo apply-contact-changes`: make the contact changes whose cooling-off is over the contacts on
record. Run it from cron every few minutes, beside `send-pending`."""

from saldo.core.management.base import SaldoCommand
from saldo.identity.contacts import contact_changes_apply


class Command(SaldoCommand):
    help = "Apply approved contact changes whose cooling-off period has ended; print how many."

    def handle(self, *args, **options):
        count = contact_changes_apply(now=self.now())
        self.stdout.write(f"apply-contact-changes: {count} applied")
