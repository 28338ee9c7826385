"""Every answer the text channels give, in the member's language (Bahasa Indonesia by default).

Each reply is GSM-7 text of at most 160 septets, so it goes out as one plain SMS; WhatsApp can
show the same text or render `code` its own way. Replies never carry a NIK or a mother's name.
Amounts are written the Indonesian way (Rp12.345.678), dates DD-MM-YYYY, months MM-YYYY.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from saldo.channels.commands import gsm7
from saldo.channels.commands.grammar import Field, FormatError
from saldo.claims.selectors import ClaimOverview
from saldo.contributions.selectors import Status as MembershipStatus
from saldo.core.errors import ValidationError
from saldo.core.money import format_rupiah
from saldo.identity.pins import PinRateLimited
from saldo.identity.services import AccessFrozen, NoPhoneOnRecord, RegistrationLocked, RegistrationRefused
from saldo.statements.selectors import BalanceSummary

# Command syntax is the same in every language: it is what the member types.
DAFTAR_FORMAT = "DAFTAR SALDO#NIK#NAMA#DD-MM-YYYY#KPJ#EMAIL"
EXAMPLE_KPJ = "12345678901"


@dataclass(frozen=True)
class Reply:
    text: str  # what an SMS transport sends
    code: str  # which answer this is: for logs, tests and transports that render it differently


def _reply(code: str, text: str) -> Reply:
    # Data from the registry (an employer's name) may hold characters GSM-7 lacks; the cut is a
    # last guard, the templates are written to fit.
    return Reply(gsm7.truncate(gsm7.to_gsm7(text), gsm7.SINGLE_SMS), code)


def _fitted(render: Callable[[str], str], value: str) -> str:
    """`render(value)` with `value` cut (marked '..') so that the whole text fits one SMS."""
    value = gsm7.to_gsm7(value)
    text = render(value)
    if gsm7.septets(gsm7.to_gsm7(text)) <= gsm7.SINGLE_SMS:
        return text
    room = gsm7.SINGLE_SMS - gsm7.septets(gsm7.to_gsm7(render("")))
    return render(gsm7.truncate(value, max(room, 3)))


def _date(day: date) -> str:
    # Not strftime: this runs for every balance reply, and strftime costs five times as much.
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def _month(day: date) -> str:
    return f"{day.month:02d}-{day.year:04d}"


def _daftar_hint() -> str:
    return _("Ketik: %(format)s") % {"format": DAFTAR_FORMAT}


def usage() -> Reply:
    return _reply(
        "usage",
        _("Perintah tidak dikenal. Daftar: %(format)s. Cek saldo: SALDO KPJ. Status: STATUS KPJ. Bantuan: BANTUAN")
        % {"format": DAFTAR_FORMAT},
    )


def help_text() -> Reply:
    return _reply(
        "help",
        _(
            "Layanan saldo BPJS Ketenagakerjaan. Daftar: %(format)s (email boleh kosong). "
            "Lalu: SALDO KPJ, STATUS KPJ atau KLAIM KPJ"
        )
        % {"format": DAFTAR_FORMAT},
    )


def format_error(error: FormatError) -> Reply:
    if error.command == "pin":
        text = _("PIN terdiri dari 6 angka dari SMS yang dikirim ke nomor tercatat. Ketik: PIN 123456")
        return _reply("format_error", text)
    if error.command in ("saldo", "status", "klaim"):
        command = error.command.upper()
        text = _("Nomor KPJ belum benar: 11 angka sesuai kartu. Ketik: %(command)s KPJ, mis. %(command)s %(kpj)s") % {
            "command": command,
            "kpj": EXAMPLE_KPJ,
        }
        return _reply("format_error", text)
    problems = {
        Field.NIK: _("NIK belum benar: 16 angka sesuai KTP."),
        Field.NAME: _("Nama belum benar: tulis dengan huruf sesuai KTP."),
        Field.BIRTH_DATE: _("Tanggal lahir belum benar: tulis DD-MM-YYYY, mis. 17-08-1990."),
        Field.KPJ: _("Nomor KPJ belum benar: 11 angka sesuai kartu."),
        Field.EMAIL: _("Email belum benar: tulis mis. nama@gmail.com, atau kosongkan."),
        Field.FIELDS: _("Kolom terlalu banyak."),
    }
    return _reply("format_error", f"{problems[error.field]} {_daftar_hint()}")


def not_mobile() -> Reply:
    return _reply("not_mobile", _("Pendaftaran hanya untuk nomor ponsel Indonesia (08...)."))


def registered(*, kpj: str) -> Reply:
    return _reply(
        "registered",
        _("Pendaftaran berhasil: nomor ini terhubung ke KPJ %(kpj)s. Cek saldo: SALDO %(kpj)s. Status: STATUS %(kpj)s")
        % {"kpj": kpj},
    )


def binding_pin_sent(*, sent_to: str, kpj: str, minutes: int) -> Reply:
    """The sender is not the phone on record: the PIN went there, and must be typed back from here."""
    return _reply(
        "binding_pin_sent",
        _("PIN dikirim ke nomor tercatat %(phone)s. Dalam %(minutes)d menit balas dari nomor ini: PIN <6 angka> "
          "untuk KPJ %(kpj)s.") % {"phone": sent_to, "minutes": minutes, "kpj": kpj},
    )


def no_phone_on_record() -> Reply:
    return _reply(
        "no_phone_on_record",
        _("Tidak ada nomor ponsel tercatat untuk data ini. Ajukan perubahan data kontak di situs Saldo atau kantor "
          "cabang."),
    )


def access_frozen() -> Reply:
    return _reply(
        "access_frozen",
        _("Akses untuk data ini dibekukan karena laporan bukan saya. Hubungi kantor cabang atau layanan pelanggan."),
    )


def pin_refused(message: str) -> Reply:
    """A binding PIN that is wrong, used up or expired: the PIN service's own words."""
    return _reply("pin_refused", message)


def report_received() -> Reply:
    return _reply(
        "report_received",
        _("Laporan diterima. Akses online dan klaim atas nama Anda dibekukan sampai petugas memeriksanya bersama "
          "Anda. Hubungi kantor cabang."),
    )


def report_code_unknown() -> Reply:
    return _reply(
        "report_code_unknown",
        _("Kode laporan tidak dikenal atau sudah kedaluwarsa. Periksa kode pada SMS pemberitahuan."),
    )


# What a registration (identity.services.phone_register) may refuse with, on SMS and WhatsApp alike.
REGISTRATION_REFUSALS = (RegistrationLocked, RegistrationRefused, AccessFrozen, NoPhoneOnRecord, PinRateLimited,
                         ValidationError)


def registration_refusal(refused: Exception) -> Reply:
    """The reply to one of REGISTRATION_REFUSALS."""
    if isinstance(refused, RegistrationLocked):
        return registration_locked(until=refused.until)
    if isinstance(refused, RegistrationRefused):
        return registration_refused()
    if isinstance(refused, AccessFrozen):
        return access_frozen()
    if isinstance(refused, NoPhoneOnRecord):
        return no_phone_on_record()
    if isinstance(refused, PinRateLimited):
        return pin_refused(refused.message)
    return not_mobile()  # ValidationError: not an Indonesian mobile number


def registration_refused() -> Reply:
    """One reply for every mismatch: it must not tell which field failed or whether the KPJ exists."""
    return _reply(
        "registration_refused",
        _(
            "Data tidak cocok dengan data kepesertaan. Periksa NIK, nama, tanggal lahir dan nomor KPJ, "
            "lalu kirim lagi. Bantuan: kantor cabang BPJS Ketenagakerjaan."
        ),
    )


def registration_locked(*, until: datetime) -> Reply:
    local = timezone.localtime(until)
    return _reply(
        "registration_locked",
        _(
            "Pendaftaran dari nomor ini dikunci karena data salah terlalu sering. Coba lagi setelah %(time)s "
            "atau datang ke kantor cabang."
        )
        % {"time": f"{local:%d-%m-%Y %H:%M} {local.tzname()}"},
    )


def rate_limited() -> Reply:
    minutes = settings.SALDO_CHANNELS["RATE_LIMIT_WINDOW_MINUTES"]
    text = _("Terlalu banyak pesan dari nomor ini. Coba lagi %(minutes)d menit lagi.") % {"minutes": minutes}
    return _reply("rate_limited", text)


def not_registered() -> Reply:
    """For every number not bound to the KPJ asked, whether or not that KPJ exists."""
    text = _("Nomor ini belum terdaftar untuk KPJ tersebut. Daftar dulu: %(format)s") % {"format": DAFTAR_FORMAT}
    return _reply("not_registered", text)


def choose_kpj(*, kpjs: list[str], command: str) -> Reply:
    """The number is bound to several KPJs (its owner's): list them and show how to ask for one."""

    def render(shown: list[str]) -> str:
        listed = ", ".join(shown) + ("" if len(shown) == len(kpjs) else ", " + _("dll."))
        text = _("Nomor ini terdaftar untuk %(count)d KPJ: %(kpjs)s. Ketik %(command)s KPJ, mis. %(command)s %(first)s")
        return text % {
            "count": len(kpjs),
            "kpjs": listed,
            "command": command,
            "first": kpjs[0],
        }

    shown = list(kpjs)
    while len(shown) > 1 and gsm7.septets(gsm7.to_gsm7(render(shown))) > gsm7.SINGLE_SMS:
        shown.pop()
    return _reply("choose_kpj", render(shown))


def balance(summary: BalanceSummary) -> Reply:
    values = {
        "kpj": summary.kpj,
        "date": _date(summary.as_of),
        "jht": format_rupiah(summary.jht),
        "jp": format_rupiah(summary.jp or 0),
    }
    if summary.jp is None:
        head = _("Saldo KPJ %(kpj)s per %(date)s: JHT %(jht)s.") % values
    else:
        head = _("Saldo KPJ %(kpj)s per %(date)s: JHT %(jht)s, JP %(jp)s.") % values
    if summary.last_period is None:
        tail = _("Belum ada iuran diterima.")
    else:
        tail = _("Iuran terakhir diterima: %(month)s.") % {"month": _month(summary.last_period)}
    return _reply("balance", f"{head} {tail}")


def status(*, kpj: str, as_of: date, status: str, employer: str) -> Reply:
    word = _("aktif") if status == MembershipStatus.ACTIVE else _("non-aktif")

    def render(name: str) -> str:
        return _("Status KPJ %(kpj)s per %(date)s: %(status)s. Pemberi kerja: %(employer)s.") % {
            "kpj": kpj,
            "date": _date(as_of),
            "status": word,
            "employer": name,
        }

    return _reply("status", _fitted(render, employer))


def _reason_words() -> dict[str, str]:
    # Short names of the claim reasons that fit an SMS (claims.rules has the full labels).
    return {
        "age": _("usia 56 tahun"),
        "resignation": _("mengundurkan diri"),
        "dismissal": _("PHK"),
        "contract_end": _("habis kontrak"),
        "leaving_indonesia": _("pindah ke luar negeri"),
        "disability": _("cacat total tetap"),
        "death": _("meninggal dunia"),
        "partial_10": _("klaim sebagian 10%"),
        "partial_30": _("klaim sebagian 30%"),
    }


def claim_status_words() -> dict[str, str]:
    """The open claim statuses as a member reads them (WhatsApp uses them too)."""
    return {
        "submitted": _("diajukan"),
        "verifying": _("sedang diverifikasi"),
        "approved": _("disetujui, menunggu pembayaran"),
    }


def claim(overview: ClaimOverview) -> Reply:
    """KLAIM KPJ: the claim in progress if there is one, else whether (and from when) JHT can be claimed."""
    values = {"kpj": overview.kpj, "date": _date(overview.as_of)}
    if overview.open_claim is not None:
        values |= {"number": overview.open_claim.number, "status": claim_status_words()[overview.open_claim.status]}
        return _reply("claim_open", _("Klaim %(number)s untuk KPJ %(kpj)s: %(status)s (per %(date)s).") % values)
    if overview.jht_balance <= 0:  # paid out, moved to another KPJ, or never had iuran: no date helps
        return _reply("claim_nothing", _("KPJ %(kpj)s tidak punya saldo JHT yang dapat diklaim per %(date)s.") % values)
    words = _reason_words()
    if overview.eligible_now:
        reasons = ", ".join(words[reason] for reason in overview.eligible_now)
        text = _("JHT KPJ %(kpj)s dapat diklaim per %(date)s karena: %(reasons)s. Ajukan di portal atau aplikasi.")
        return _reply("claim_eligible", _fitted(lambda shown: text % {**values, "reasons": shown}, reasons))
    opening = overview.next_opening
    if opening is not None:
        values |= {"from": _date(opening.eligible_from), "reason": words[opening.reason]}
        text = _("JHT KPJ %(kpj)s belum dapat diklaim per %(date)s. Paling cepat %(from)s (%(reason)s).")
        return _reply("claim_not_yet", text % values)
    text = _("JHT KPJ %(kpj)s belum dapat diklaim per %(date)s. Klaim dibuka saat berhenti bekerja atau usia 56.")
    return _reply("claim_not_eligible", text % values)
