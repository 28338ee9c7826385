import json
from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from saldo.claims.selectors import ClaimEstimate, claim_estimate_get
from saldo.core.management.base import SaldoCommand, parse_as_of
from saldo.core.money import format_rupiah


class Command(SaldoCommand):
    help = "Perkiraan klaim JHT satu KPJ: boleh atau belum (dan sejak kapan), bruto, pajak, neto."

    def add_arguments(self, parser):
        parser.add_argument("kpj")
        parser.add_argument(
            "--reason", required=True, help="alasan klaim, mis. resignation, dismissal, age, partial_10"
        )
        parser.add_argument("--date", help="tanggal klaim YYYY-MM-DD (default hari ini)")
        parser.add_argument(
            "--event-date", help="tanggal kejadian YYYY-MM-DD (pindah ke luar negeri, cacat, meninggal)"
        )
        parser.add_argument("--json", action="store_true", help="keluaran JSON untuk skrip")

    def handle(self, *args, **options):
        estimate = claim_estimate_get(
            kpj=options["kpj"].strip(),
            reason=options["reason"].strip(),
            as_of=parse_as_of(options["date"]),
            event_date=_event_date(options["event_date"]),
            person_id=None,  # an operator's tool: any KPJ
        )
        if options["json"]:
            self.stdout.write(json.dumps(estimate.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(estimate_lines(estimate)))


def _event_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("--event-date harus berformat YYYY-MM-DD")) from None


def estimate_lines(estimate: ClaimEstimate) -> list[str]:
    eligibility = estimate.eligibility
    values = {"kpj": estimate.kpj, "reason": estimate.reason_label, "date": f"{estimate.as_of:%d-%m-%Y}"}
    lines = [_("KPJ %(kpj)s — klaim %(reason)s per %(date)s") % values]
    if eligibility.eligible:
        lines.append(_("Dapat diklaim."))
    else:
        lines.append(_("Belum dapat diklaim:"))
        lines += [f"  - {c.message} [{c.code}]" for c in eligibility.conditions]
        if eligibility.eligible_from:
            lines.append(_("Paling cepat: %(date)s") % {"date": f"{eligibility.eligible_from:%d-%m-%Y}"})
    payout = estimate.payout
    rows = [(_("JHT bruto"), payout.jht)]
    if payout.jp:
        rows.append((_("JP sekaligus"), payout.jp))
    rows += [(_("Pajak (PPh 21 final)"), payout.tax), (_("Diterima (neto)"), payout.net)]
    lines += [f"  {label:<22}{format_rupiah(amount):>18}" for label, amount in rows]
    if estimate.earlier_gross:
        lines.append(
            _("Pajak dihitung bersama klaim %(gross)s yang dibayar dalam dua tahun kalender ini.")
            % {"gross": format_rupiah(estimate.earlier_gross)}
        )
    if estimate.self_service:
        lines.append(
            _("Verifikasi: mandiri (saldo sampai %(limit)s).") % {"limit": format_rupiah(estimate.self_service_limit)}
        )
    else:
        lines.append(_("Verifikasi: oleh petugas (panggilan video atau kunjungan ke kantor cabang)."))
    return lines
