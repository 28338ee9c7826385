from django.utils.translation import gettext as _

from saldo.contributions.services import contributions_import
from saldo.core.management.base import SaldoCommand, parse_as_of


class Command(SaldoCommand):
    help = "Impor laporan upah bulanan (npp,period,kpj,wage) dan posting iuran JHT dan JP."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as-of", help="tanggal acuan YYYY-MM-DD (default hari ini)")

    def handle(self, *args, **options):
        with open(options["file"], "rb") as fh:
            total = sum(1 for _ in fh) - 1
        with self.progress(total, "iuran") as progress:
            result = contributions_import(path=options["file"], as_of=parse_as_of(options["as_of"]), progress=progress)
        self.stdout.write(
            _("%(rows)d baris: %(posted)d iuran diposting, %(skipped)d sudah ada sebelumnya.")
            % {"rows": result.rows, "posted": result.posted, "skipped": result.already_posted}
        )
