from django.utils.translation import gettext as _

from saldo.core.management.base import SaldoCommand, parse_as_of
from saldo.registry.services import members_import


class Command(SaldoCommand):
    help = (
        "Impor peserta dari CSV: "
        "kpj,nik,name,birth_date,sex,mother_maiden_name,phone,email,npp,employer_name,start_date"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as-of", help="tanggal acuan YYYY-MM-DD (default hari ini)")

    def handle(self, *args, **options):
        with open(options["file"], "rb") as fh:
            total = sum(1 for _ in fh) - 1
        with self.progress(total, "peserta") as progress:
            result = members_import(
                path=options["file"], as_of=parse_as_of(options["as_of"]), now=self.now(), progress=progress
            )
        self.stdout.write(
            _("%(rows)d baris: %(kpj)d KPJ baru, %(persons)d orang baru, %(employers)d pemberi kerja baru.")
            % {
                "rows": result.rows,
                "kpj": result.memberships_created,
                "persons": result.persons_created,
                "employers": result.employers_created,
            }
        )
