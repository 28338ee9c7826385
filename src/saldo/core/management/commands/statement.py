import json

from saldo.core.management.base import SaldoCommand, parse_as_of
from saldo.core.money import format_rupiah
from saldo.core.periods import format_period
from saldo.statements.selectors import statement_get


class Command(SaldoCommand):
    help = "Tampilkan laporan saldo satu KPJ per tanggal tertentu."

    def add_arguments(self, parser):
        parser.add_argument("kpj")
        parser.add_argument("--as-of", help="tanggal acuan YYYY-MM-DD (default hari ini)")
        parser.add_argument("--json", action="store_true", help="keluaran JSON untuk skrip")

    def handle(self, *args, **options):
        statement = statement_get(kpj=options["kpj"].strip(), as_of=parse_as_of(options["as_of"]))
        if options["json"]:
            self.stdout.write(json.dumps(statement.as_json(), ensure_ascii=False, indent=2))
            return
        out = self.stdout.write
        out(f"KPJ {statement.kpj} — status {statement.status} per {statement.as_of:%d-%m-%Y}")
        out(f"Pemberi kerja: {statement.employer_npp} {statement.employer_name}")
        for name, programme in statement.programmes.items():
            out("")
            out(f"{name}: saldo {format_rupiah(programme.balance)}")
            out(
                f"  {'Tahun':<5} {'Awal':>15} {'Iuran PK':>13} {'Iuran TK':>13} {'Pengembangan':>13} "
                f"{'Penarikan':>13} {'Akhir':>15}"
            )
            for y in programme.years:
                out(
                    f"  {y.year:<5} {format_rupiah(y.opening):>15} {format_rupiah(y.employer):>13} "
                    f"{format_rupiah(y.worker):>13} {format_rupiah(y.returns):>13} "
                    f"{format_rupiah(y.withdrawals):>13} {format_rupiah(y.closing):>15}"
                )
        out("")
        out("Riwayat iuran JHT per bulan (! = tidak ada iuran):")
        for m in statement.months:
            if m.gap:
                out(f"  {format_period(m.period)}  !  tidak ada iuran")
            else:
                out(
                    f"  {format_period(m.period)}     upah {format_rupiah(m.wage):>14}  "
                    f"PK {format_rupiah(m.employer):>11}  TK {format_rupiah(m.worker):>11}"
                )
