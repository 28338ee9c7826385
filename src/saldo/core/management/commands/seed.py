from datetime import date

from saldo.core.management.base import SaldoCommand, parse_as_of
from saldo.core.periods import format_period
from saldo.demo.loading import ILLUSTRATIVE_NOTE, SeedResult, demo_load, demo_present
from saldo.demo.population import DEFAULT_SEED, showcase_members


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(SaldoCommand):
    help = (
        "Isi basis data kosong dengan data demo yang realistis dan selalu sama untuk seed yang sama: "
        "peserta, pemberi kerja, iuran bulanan, KPJ yang berakhir, dan hasil pengembangan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, required=True, help="jumlah orang, mis. 1000")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
        parser.add_argument("--as-of", help="tanggal acuan YYYY-MM-DD (default hari ini)")
        parser.add_argument(
            "--if-empty", action="store_true", help="lewati tanpa galat bila basis data sudah berisi peserta"
        )

    def handle(self, *args, **options):
        as_of = parse_as_of(options["as_of"])
        if options["if_empty"] and demo_present():
            self.stdout.write("Data sudah ada di basis data; seed dilewati.")
            return
        result = demo_load(
            members=options["members"], seed=options["seed"], as_of=as_of, now=self.now(),
            progress=self.progress,
        )
        self._summary(result, as_of)
        self._showcase(options["seed"])

    def _summary(self, result: SeedResult, as_of: date) -> None:
        period = ""
        if result.first_period and result.last_period:
            period = f" ({format_period(result.first_period)} s.d. {format_period(result.last_period)})"
        credited = ""
        if result.years_credited:
            credited = (f"; hasil pengembangan {result.years_credited[0]}-{result.years_credited[-1]} "
                        f"dikreditkan, total Rp{_number(result.returns_total)}")
        self.stdout.write(
            f"Data demo per {as_of:%d-%m-%Y}: {_number(result.persons)} orang, "
            f"{_number(result.memberships)} KPJ, {_number(result.employers)} pemberi kerja, "
            f"{_number(result.contributions)} iuran bulanan{period}, {_number(result.ended)} KPJ berakhir"
            f"{credited}."
        )
        if result.rates_declared:
            rates = ", ".join(f"{year} {rate}%" for year, rate in result.rates_declared)
            self.stdout.write(f"Tingkat hasil pengembangan {ILLUSTRATIVE_NOTE}: {rates}.")

    def _showcase(self, seed: int) -> None:
        self.stdout.write("")
        self.stdout.write("Peserta contoh (coba: saldo statement <KPJ>):")
        for number, member in enumerate(showcase_members(seed=seed), start=1):
            self.stdout.write(f"  {number}. {member.role}")
            self.stdout.write(
                f"     KPJ {member.kpj}  NIK {member.nik}  {member.name}  "
                f"lahir {member.birth_date:%d-%m-%Y}  ponsel {member.phone}  email {member.email}"
            )
            if member.other_kpjs:
                self.stdout.write(f"     KPJ lama: {', '.join(member.other_kpjs)}")
