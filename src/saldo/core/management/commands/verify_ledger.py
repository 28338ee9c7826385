from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from saldo.core.management.base import SaldoCommand
from saldo.ledger.checks import entries_without_posting, ledger_mismatches


class Command(SaldoCommand):
    help = "Periksa bahwa saldo setiap rekening sama dengan jumlah entrinya."

    def handle(self, *args, **options):
        mismatches = ledger_mismatches()
        for m in mismatches:
            self.stderr.write(
                _("%(kpj)s %(programme)s: saldo %(balance)d <> jumlah entri %(sum)d")
                % {"kpj": m.kpj, "programme": m.programme, "balance": m.balance, "sum": m.entries_sum}
            )
        orphans = entries_without_posting()
        if orphans:
            self.stderr.write(_("%(count)d entri tanpa posting atau entri asal.") % {"count": orphans})
        if mismatches or orphans:
            raise CommandError(_("%(count)d rekening tidak cocok.") % {"count": len(mismatches)}, returncode=1)
        self.stdout.write(_("Buku besar cocok: setiap saldo sama dengan jumlah entrinya."))
