from django.utils.translation import gettext as _

from saldo.core.management.base import SaldoCommand
from saldo.returns.services import rate_declare


class Command(SaldoCommand):
    help = "Catat tingkat hasil pengembangan yang dideklarasikan untuk satu tahun (persen per tahun)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--rate", required=True, help="persen per tahun, mis. 6.06")
        parser.add_argument("--note", default="")

    def handle(self, *args, **options):
        rate = rate_declare(year=options["year"], rate_percent=options["rate"], note=options["note"])
        self.stdout.write(
            _("Tingkat hasil pengembangan %(year)d: %(rate)s%%") % {"year": rate.year, "rate": rate.rate_percent}
        )
