from django.core.management.base import CommandError

from saldo.core.management.base import SaldoCommand
from saldo.ledger.checks import ledger_mismatches


class Command(SaldoCommand):
    help = "Periksa bahwa saldo setiap rekening sama dengan jumlah entrinya."

    def handle(self, *args, **options):
        mismatches = ledger_mismatches()
        for m in mismatches:
            self.stderr.write(f"{m.kpj} {m.programme}: saldo {m.balance} <> jumlah entri {m.entries_sum}")
        if mismatches:
            raise CommandError(f"{len(mismatches)} rekening tidak cocok.", returncode=1)
        self.stdout.write("Buku besar cocok: setiap saldo sama dengan jumlah entrinya.")
