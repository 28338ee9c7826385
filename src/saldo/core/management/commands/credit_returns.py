from django.utils.translation import gettext as _

from saldo.core.management.base import SaldoCommand, parse_as_of
from saldo.core.money import format_rupiah
from saldo.returns.services import returns_credit
from saldo.returns.strategies import DEFAULT_STRATEGY, STRATEGIES


class Command(SaldoCommand):
    help = "Kreditkan hasil pengembangan satu tahun ke setiap rekening JHT dan JP (sekali per tahun)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--method", choices=sorted(STRATEGIES), default=DEFAULT_STRATEGY)
        parser.add_argument("--as-of", help="tanggal acuan YYYY-MM-DD (default hari ini)")

    def handle(self, *args, **options):
        result = returns_credit(year=options["year"], as_of=parse_as_of(options["as_of"]), strategy=options["method"])
        if result.already_credited:
            self.stdout.write(
                _("Hasil pengembangan %(year)d sudah dikreditkan sebelumnya; tidak ada yang ditambahkan.")
                % {"year": result.year}
            )
            return
        if not result.accounts_credited:
            self.stdout.write(_("Tidak ada rekening yang perlu dikreditkan untuk %(year)d.") % {"year": result.year})
            return
        self.stdout.write(
            _("Hasil pengembangan %(year)d (%(rate)s%%): %(accounts)d rekening, total %(total)s.")
            % {
                "year": result.year,
                "rate": result.rate_percent,
                "accounts": result.accounts_credited,
                "total": format_rupiah(result.total),
            }
        )
