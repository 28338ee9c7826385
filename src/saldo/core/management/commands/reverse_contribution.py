from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from saldo.contributions.services import contribution_reverse
from saldo.core.management.base import SaldoCommand
from saldo.core.money import format_rupiah
from saldo.core.periods import format_period, parse_period


class Command(SaldoCommand):
    help = "Koreksi (balik) iuran satu KPJ untuk satu periode, agar bisa diposting ulang dengan upah yang benar."

    def add_arguments(self, parser):
        parser.add_argument("kpj")
        parser.add_argument("period", help="YYYY-MM")
        parser.add_argument("--reason", required=True, help="alasan koreksi (tercatat di buku besar)")

    def handle(self, *args, **options):
        try:
            period = parse_period(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        contribution = contribution_reverse(kpj=options["kpj"].strip(), period=period, reason=options["reason"])
        self.stdout.write(
            _("Iuran %(kpj)s %(period)s (upah %(wage)s) dibalik; periode ini bisa diposting ulang.")
            % {"kpj": options["kpj"], "period": format_period(period), "wage": format_rupiah(contribution.wage)}
        )
