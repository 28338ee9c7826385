import json

from django.utils.translation import gettext as _

from saldo.core.management.base import SaldoCommand, parse_as_of
from saldo.core.money import format_rupiah
from saldo.core.periods import format_period
from saldo.statements.selectors import Statement, statement_get


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
        else:
            self.stdout.write("\n".join(statement_lines(statement)))


def statement_lines(statement: Statement) -> list[str]:
    lines = [
        _("KPJ %(kpj)s — status %(status)s per %(date)s")
        % {"kpj": statement.kpj, "status": statement.status, "date": f"{statement.as_of:%d-%m-%Y}"},
        _("Pemberi kerja: %(npp)s %(name)s") % {"npp": statement.employer_npp, "name": statement.employer_name},
    ]
    headings = [_("Tahun"), _("Awal"), _("Iuran PK"), _("Iuran TK"), _("Pengembangan"), _("Penarikan"), _("Akhir")]
    widths = [5, 15, 13, 13, 13, 13, 15]
    for name, programme in statement.programmes.items():
        lines += [
            "",
            _("%(programme)s: saldo %(amount)s") % {"programme": name, "amount": format_rupiah(programme.balance)},
        ]
        lines.append("  " + " ".join(h.rjust(w) for h, w in zip(headings, widths, strict=True)))
        for y in programme.years:
            cells = [str(y.year)] + [
                format_rupiah(v) for v in (y.opening, y.employer, y.worker, y.returns, y.withdrawals, y.closing)
            ]
            lines.append("  " + " ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))
            if y.claim_returns:
                lines.append(f"        {y.claim_returns_label}: {format_rupiah(y.claim_returns)}")
    lines += ["", _("Riwayat iuran JHT per bulan (! = tidak ada iuran):")]
    for m in statement.months:
        if m.gap:
            lines.append(f"  {format_period(m.period)}  !  " + _("tidak ada iuran"))
        else:
            lines.append(
                f"  {format_period(m.period)}     "
                + _("upah %(wage)s  PK %(employer)s  TK %(worker)s")
                % {
                    "wage": format_rupiah(m.wage).rjust(14),
                    "employer": format_rupiah(m.employer).rjust(11),
                    "worker": format_rupiah(m.worker).rjust(11),
                }
            )
    return lines
