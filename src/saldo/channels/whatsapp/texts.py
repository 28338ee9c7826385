"""What the WhatsApp bot says beyond the shared SMS replies (channels/commands/replies.py): the
menu, the KPJ picker, the card, the iuran history, the JHT claim and the registration steps.

Bahasa Indonesia by default, English through the catalog in this app's locale/. WhatsApp shows
*bold*; amounts are Rp12.345.678, dates DD-MM-YYYY, months MM-YYYY, as in every other channel.
No text here carries a NIK or a mother's name.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from saldo.channels.commands.replies import claim_status_words
from saldo.claims.rules import rule_get
from saldo.claims.selectors import ClaimEstimate, ClaimOverview
from saldo.contributions.selectors import MonthRow
from saldo.contributions.selectors import Status as MembershipStatus
from saldo.core.money import format_rupiah
from saldo.statements.selectors import BalanceSummary


def day(value: date) -> str:
    return f"{value:%d-%m-%Y}"


def month(value: date) -> str:
    return f"{value:%m-%Y}"


def status_word(status: str) -> str:
    return _("aktif") if status == MembershipStatus.ACTIVE else _("non-aktif")


# The menu


def menu_titles() -> dict[str, tuple[str, str]]:
    """Menu row id -> (title, description)."""
    return {
        "saldo": (_("Cek Saldo JHT"), _("Saldo JHT dan JP hari ini")),
        "status": (_("Status Kepesertaan"), _("Aktif atau non-aktif, dan pemberi kerja")),
        "kartu": (_("Kartu Digital"), _("Data kartu peserta Anda")),
        "riwayat": (_("Riwayat Iuran"), _("12 bulan terakhir, bulan tanpa iuran ditandai")),
        "klaim": (_("Klaim JHT"), _("Dapatkah JHT diklaim, perkiraan, dan status klaim")),
        "bantuan": (_("Bantuan"), _("Cara memakai layanan ini")),
        "daftar": (_("Daftarkan Nomor"), _("Hubungkan nomor ini ke KPJ, PIN lewat SMS")),
    }


def menu_greeting(*, registered: bool) -> str:
    if registered:
        return _("Halo! Ini layanan informasi BPJS Ketenagakerjaan. Silakan pilih layanan.")
    return _(
        "Halo! Ini layanan informasi BPJS Ketenagakerjaan. Nomor ini belum terhubung ke KPJ: pilih "
        "*Daftarkan Nomor* untuk mulai."
    )


def menu_button() -> str:
    return _("Pilih layanan")


def menu_section() -> str:
    return _("Layanan")


def main_menu_button() -> str:
    return _("Menu Utama")


def help_text() -> str:
    return _(
        "*Bantuan*\n"
        "Ketik MENU kapan saja untuk melihat layanan.\n"
        "Perintah yang bisa diketik (sama seperti SMS): SALDO, SALDO KPJ, STATUS, STATUS KPJ, KLAIM, KLAIM KPJ, "
        "dan DAFTAR SALDO#NIK#NAMA#DD-MM-YYYY#KPJ#EMAIL.\n"
        "Saldo dan data kepesertaan hanya dijawab ke nomor yang terhubung dengan KPJ. Untuk menghubungkan "
        "nomor, pilih Daftarkan Nomor: kami kirim PIN lewat SMS ke nomor ini.\n"
        "Bantuan lain: kantor cabang BPJS Ketenagakerjaan."
    )


def not_readable() -> str:
    return _("Maaf, pesan seperti ini belum bisa kami baca. Silakan ketik pesan atau pilih layanan.")


# Answers about one KPJ


def choose_kpj(*, count: int, service: str) -> str:
    return _("Nomor ini terhubung ke %(count)d KPJ. Pilih KPJ untuk *%(service)s*.") % {
        "count": count,
        "service": service,
    }


def choose_kpj_button() -> str:
    return _("Pilih KPJ")


def kpj_row_description(*, employer: str, ended: date | None) -> str:
    if ended is None:
        return employer
    return _("%(employer)s (berakhir %(date)s)") % {"employer": employer, "date": day(ended)}


def not_bound() -> str:
    return _(
        "Nomor ini belum terhubung ke KPJ tersebut. Pilih *Daftarkan Nomor* untuk menghubungkannya "
        "(PIN dikirim lewat SMS ke nomor ini)."
    )


def balance(summary: BalanceSummary) -> str:
    lines = [
        _("*Saldo JHT* KPJ %(kpj)s") % {"kpj": summary.kpj},
        _("per %(date)s") % {"date": day(summary.as_of)},
        _("JHT: %(amount)s") % {"amount": format_rupiah(summary.jht)},
    ]
    if summary.jp is not None:
        lines.append(_("JP: %(amount)s") % {"amount": format_rupiah(summary.jp)})
    if summary.last_period is None:
        lines.append(_("Belum ada iuran diterima."))
    else:
        lines.append(_("Iuran terakhir diterima: %(month)s") % {"month": month(summary.last_period)})
    return "\n".join(lines)


def status(*, kpj: str, as_of: date, status: str, employer: str, start: date, end: date | None) -> str:
    lines = [
        _("*Status Kepesertaan* KPJ %(kpj)s") % {"kpj": kpj},
        _("per %(date)s: *%(status)s*") % {"date": day(as_of), "status": status_word(status)},
        _("Pemberi kerja: %(employer)s") % {"employer": employer},
        _("Peserta sejak: %(date)s") % {"date": day(start)},
    ]
    if end is not None:
        lines.append(_("Berakhir: %(date)s") % {"date": day(end)})
    return "\n".join(lines)


def card(*, kpj: str, name: str, status: str, employer: str, start: date, expires: datetime) -> str:
    return "\n".join(
        [
            _("*Kartu Digital BPJS Ketenagakerjaan*"),
            _("Nama: %(name)s") % {"name": name},
            _("KPJ: %(kpj)s") % {"kpj": kpj},
            _("Status: %(status)s") % {"status": status_word(status)},
            _("Pemberi kerja: %(employer)s") % {"employer": employer},
            _("Peserta sejak: %(date)s") % {"date": day(start)},
            _("Berlaku sampai %(time)s. Tunjukkan kode QR ini saat diminta; keasliannya dapat diperiksa.")
            % {"time": f"{expires:%d-%m-%Y %H:%M} {expires.tzname()}"},
        ]
    )


def history(*, kpj: str, months: list[MonthRow]) -> str:
    lines = [_("*Riwayat Iuran* KPJ %(kpj)s, 12 bulan terakhir") % {"kpj": kpj}]
    if not months:
        lines.append(_("Belum ada bulan iuran yang jatuh tempo."))
        return "\n".join(lines)
    for row in months:
        if row.gap:
            lines.append(_("%(month)s ⚠ tidak ada iuran") % {"month": month(row.period)})
        else:
            lines.append(
                _("%(month)s JHT %(jht)s, JP %(jp)s")
                % {
                    "month": month(row.period),
                    "jht": format_rupiah(row.employer + row.worker),
                    "jp": format_rupiah(row.jp_employer + row.jp_worker),
                }
            )
    gaps = sum(row.gap for row in months)
    if gaps:
        lines.append(_("⚠ %(count)d bulan tanpa iuran. Tanyakan ke pemberi kerja Anda.") % {"count": gaps})
    else:
        lines.append(_("Tidak ada bulan tanpa iuran."))
    return "\n".join(lines)


def claim(overview: ClaimOverview, *, estimates: list[ClaimEstimate]) -> str:
    """The claim in progress, if any, then whether JHT can be claimed today: each reason open
    today with its estimate (`estimates`, one per reason; reasons that pay the same are one line),
    else the earliest day a reason opens."""
    lines = [
        _("*Klaim JHT* KPJ %(kpj)s") % {"kpj": overview.kpj},
        _("per %(date)s") % {"date": day(overview.as_of)},
    ]
    running = overview.open_claim
    if running is not None:
        lines += [
            _("Klaim %(number)s (%(reason)s): *%(status)s*")
            % {
                "number": running.number,
                "reason": _reason(running.reason),
                "status": claim_status_words()[running.status],
            },
            _("Diajukan %(date)s, perkiraan diterima %(amount)s.")
            % {
                "date": day(timezone.localdate(running.submitted_at)),
                "amount": format_rupiah(running.estimated_gross - running.estimated_tax),
            },
        ]
    if estimates:
        lines.append(_("Dapat diklaim hari ini karena:"))
        lines += [_estimate_line(reasons, estimate) for reasons, estimate in _same_payout(estimates)]
        if running is None:
            lines.append(
                _(
                    "Perkiraan setelah pajak, dari saldo hari ini; jumlah yang dibayar dihitung pada hari "
                    "pembayaran. Ajukan di portal atau aplikasi."
                )
            )
        else:
            lines.append(_("Klaim baru untuk KPJ ini dapat diajukan setelah klaim yang berjalan selesai."))
    elif overview.jht_balance <= 0:
        lines.append(_("Tidak ada saldo JHT yang dapat diklaim."))
    elif (opening := overview.next_opening) is not None:
        lines.append(
            _("Belum dapat diklaim. Paling cepat %(date)s (%(reason)s).")
            % {"date": day(opening.eligible_from), "reason": _reason(opening.reason)}
        )
    else:
        lines.append(_("Belum dapat diklaim. Klaim dibuka saat berhenti bekerja atau pada usia 56 tahun."))
    return "\n".join(lines)


def _reason(reason: str) -> str:
    return str(rule_get(reason).label)


def _same_payout(estimates: list[ClaimEstimate]) -> list[tuple[list[str], ClaimEstimate]]:
    """Reasons grouped by what they would pay (leaving work pays the same whatever its kind)."""
    groups: dict[tuple[int, int], tuple[list[str], ClaimEstimate]] = {}
    for estimate in estimates:
        key = (estimate.payout.gross, estimate.payout.tax)
        groups.setdefault(key, ([], estimate))[0].append(estimate.reason_label)
    return list(groups.values())


def _estimate_line(reasons: list[str], estimate: ClaimEstimate) -> str:
    values = {
        "reasons": ", ".join(reasons),
        "net": format_rupiah(estimate.payout.net),
        "tax": format_rupiah(estimate.payout.tax),
    }
    if estimate.payout.tax:
        return _("• %(reasons)s: perkiraan diterima %(net)s (setelah pajak %(tax)s)") % values
    return _("• %(reasons)s: perkiraan diterima %(net)s") % values


def history_button() -> str:
    return _("Riwayat Iuran")


# Registration


def register_start() -> str:
    return _("*Daftarkan Nomor* (langkah 1 dari 5)\nKetik NIK Anda: 16 angka sesuai KTP. Ketik BATAL untuk berhenti.")


def register_ask_name() -> str:
    return _("Langkah 2 dari 5: ketik nama lengkap Anda sesuai KTP.")


def register_ask_birth_date() -> str:
    return _("Langkah 3 dari 5: ketik tanggal lahir Anda, mis. 17-08-1990.")


def register_ask_kpj() -> str:
    return _("Langkah 4 dari 5: ketik nomor KPJ Anda: 11 angka sesuai kartu.")


def register_ask_mother() -> str:
    return _("Langkah 5 dari 5: ketik nama ibu kandung Anda.")


def register_bad_nik() -> str:
    return _("NIK belum benar: 16 angka sesuai KTP. Coba lagi, atau ketik BATAL.")


def register_bad_name() -> str:
    return _("Nama belum benar: tulis dengan huruf sesuai KTP. Coba lagi, atau ketik BATAL.")


def register_bad_birth_date() -> str:
    return _("Tanggal lahir belum benar: tulis DD-MM-YYYY, mis. 17-08-1990. Coba lagi, atau ketik BATAL.")


def register_bad_kpj() -> str:
    return _("Nomor KPJ belum benar: 11 angka sesuai kartu. Coba lagi, atau ketik BATAL.")


def register_bad_mother() -> str:
    return _("Nama ibu kandung belum benar: tulis dengan huruf. Coba lagi, atau ketik BATAL.")


def register_pin_sent(*, minutes: int, sent_to: str) -> str:
    return _(
        "PIN 6 angka sudah kami kirim lewat SMS ke nomor yang tercatat pada data kepesertaan (%(phone)s). "
        "Ketik PIN itu di sini dalam %(minutes)d menit. Jangan berikan PIN kepada siapa pun."
    ) % {"minutes": minutes, "phone": sent_to}


def register_type_pin() -> str:
    return _("Ketik PIN 6 angka dari SMS, atau ketik BATAL.")


def register_done(*, kpj: str) -> str:
    return _("Berhasil: nomor ini sekarang terhubung ke KPJ %(kpj)s. Silakan pilih layanan.") % {"kpj": kpj}


def register_cancelled() -> str:
    return _("Pendaftaran dibatalkan. Silakan pilih layanan.")


def resend_pin_button() -> str:
    return _("Kirim Ulang PIN")


def cancel_button() -> str:
    return _("Batal")
