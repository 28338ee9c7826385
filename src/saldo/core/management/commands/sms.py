import logging
import uuid

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from saldo.channels.models import Channel
from saldo.channels.services import inbound_receive, pending_process
from saldo.core.management.base import SaldoCommand


class Command(SaldoCommand):
    help = (
        "Kirim satu pesan ke short code seperti dari ponsel dan tampilkan balasannya "
        '(mis. saldo sms --from 081234567890 "SALDO 12345678901"), atau jawab pesan yang tertunda.'
    )

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="*", help="isi pesan; beberapa kata digabung dengan spasi")
        parser.add_argument("--from", dest="sender", help="nomor pengirim, mis. 081234567890")
        parser.add_argument("--channel", default=Channel.SMS, choices=Channel.values, help="default sms")
        parser.add_argument(
            "--pending", action="store_true", help="jawab pesan tersimpan yang belum berbalasan (setelah gangguan)"
        )

    def handle(self, *args, **options):
        # The service logs one line per message for operators; here the reply is the output.
        log = logging.getLogger("saldo.channels")
        level = log.level
        if options["verbosity"] < 2:
            log.setLevel(logging.WARNING)
        try:
            self._handle(options)
        finally:
            log.setLevel(level)

    def _handle(self, options) -> None:
        if options["pending"]:
            count = pending_process(now=self.now())
            self.stdout.write(_("%(count)d pesan tertunda dijawab.") % {"count": count})
            return
        if not options["sender"] or not options["text"]:
            raise CommandError(_("butuh --from NOMOR dan isi pesan"), returncode=2)
        message = inbound_receive(
            channel=options["channel"],
            sender=options["sender"],
            text=" ".join(options["text"]),
            external_id=f"cli-{uuid.uuid4()}",
            received_at=self.now(),
        )
        self.stdout.write(message.reply)
