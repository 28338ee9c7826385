from datetime import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from saldo.cards.signing import public_from_text, verification_keys
from saldo.cards.verification import card_verify
from saldo.core.management.base import SaldoCommand


class Command(SaldoCommand):
    help = (
        "Periksa kartu digital (isi QR) secara offline: sah, atau mengapa tidak (palsu, diubah, kedaluwarsa). "
        "Status keluar 0 bila sah, 1 bila tidak."
    )

    def add_arguments(self, parser):
        parser.add_argument("payload", help="isi QR kartu: SALDO1.<klaim>.<tanda tangan>")
        parser.add_argument(
            "--public-key",
            help="kunci publik penerbit (berkas PEM, atau 32 byte base64); default kunci layanan ini",
        )
        parser.add_argument("--at", help="periksa per waktu ini (ISO 8601, mis. 2026-11-26T10:00+07:00)")

    def handle(self, *args, **options):
        keys = [self._public_key(options["public_key"])] if options["public_key"] else None
        if keys is None and not verification_keys():
            raise CommandError(
                _("Layanan ini belum punya kunci kartu: beri --public-key, kunci publik penerbit kartu."), returncode=2
            )
        check = card_verify(payload=options["payload"], now=self._moment(options["at"]), public_keys=keys)
        if not check.valid:
            raise CommandError(_("Kartu TIDAK sah: %(why)s") % {"why": check.message}, returncode=1)
        claims = check.claims
        self.stdout.write(check.message)
        for label, value in (
            (_("KPJ"), claims["kpj"]),
            (_("Nama"), claims["name"]),
            (_("Status"), claims["status"]),
            (_("Diterbitkan"), claims["iat"]),
            (_("Berlaku sampai"), claims["exp"]),
        ):
            self.stdout.write(f"{label}: {value}")

    def _public_key(self, text: str):
        path = Path(text)
        try:
            return public_from_text(path.read_text(encoding="ascii") if path.is_file() else text)
        except (ValueError, UnicodeDecodeError):
            raise CommandError(_("--public-key bukan kunci publik Ed25519 (PEM atau base64)")) from None

    def _moment(self, text: str | None):
        if not text:
            return timezone.now()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise CommandError(_("--at harus waktu ISO 8601, mis. 2026-11-26T10:00+07:00")) from None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
