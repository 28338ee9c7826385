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
            f"{result.rows} baris: {result.memberships_created} KPJ baru, {result.persons_created} orang baru, "
            f"{result.employers_created} pemberi kerja baru."
        )
