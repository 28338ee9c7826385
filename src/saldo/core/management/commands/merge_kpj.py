from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from saldo.core.management.base import SaldoCommand
from saldo.core.money import format_rupiah
from saldo.merging.services import MergeResult, kpj_merge, merges_sweep


class Command(SaldoCommand):
    help = (
        "Gabungkan saldo KPJ lama ke KPJ baru orang yang sama (penggabungan saldo), atau --sweep: pindahkan "
        "uang yang masuk ke KPJ yang sudah digabung (hasil pengembangan, iuran terlambat)."
    )

    def add_arguments(self, parser):
        parser.add_argument("old_kpj", nargs="?", help="KPJ lama (asal)")
        parser.add_argument("new_kpj", nargs="?", help="KPJ baru (tujuan)")
        parser.add_argument(
            "--sweep", action="store_true", help="semua KPJ yang sudah digabung; jalankan sesudah credit-returns"
        )

    def handle(self, *args, **options):
        if options["sweep"]:
            results = merges_sweep(now=self.now())
            for result in results:
                self._report(result)
            self.stdout.write(_("%(count)d penggabungan disapu.") % {"count": len(results)})
            return
        if not (options["old_kpj"] and options["new_kpj"]):
            raise CommandError(_("sebutkan KPJ lama dan KPJ baru, atau --sweep"))
        self._report(kpj_merge(from_kpj=options["old_kpj"].strip(), to_kpj=options["new_kpj"].strip(), now=self.now()))

    def _report(self, result: MergeResult) -> None:
        record = result.record
        self.stdout.write(
            _("KPJ %(old)s digabung ke KPJ %(new)s: dipindahkan sekarang JHT %(jht)s, JP %(jp)s; seluruhnya JHT "
              "%(total_jht)s, JP %(total_jp)s.")
            % {
                "old": record.from_kpj,
                "new": record.to_kpj,
                "jht": format_rupiah(result.moved_now["JHT"]),
                "jp": format_rupiah(result.moved_now["JP"]),
                "total_jht": format_rupiah(record.moved["JHT"]),
                "total_jp": format_rupiah(record.moved["JP"]),
            }
        )
