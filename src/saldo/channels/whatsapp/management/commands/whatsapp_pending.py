"""`saldo whatsapp-pending`: answer WhatsApp messages stored but never answered (the process died
between storing and answering, or answering failed), and forget abandoned registrations. Run it
from cron every minute or two, beside `saldo send-pending`, which sends what is still queued."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import CommandError

from saldo.channels.whatsapp.services import conversations_expire, pending_answer
from saldo.core.management.base import SaldoCommand


class Command(SaldoCommand):
    help = "Answer stored WhatsApp messages older than --older-than seconds that have no answer yet."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--older-than",
            type=int,
            default=60,
            help="seconds; younger messages are still being answered by the request that stored them (default 60)",
        )
        parser.add_argument("--limit", type=int, default=1000, help="at most this many messages per run")

    def handle(self, *args, **options):
        if options["older_than"] < 0 or options["limit"] < 1:
            raise CommandError("--older-than must be >= 0 and --limit >= 1")
        now = self.now()
        answered = pending_answer(now=now, older_than=timedelta(seconds=options["older_than"]), limit=options["limit"])
        idle = timedelta(minutes=settings.SALDO_WHATSAPP["CONVERSATION_MINUTES"])
        expired = conversations_expire(now=now, idle=idle)
        self.stdout.write(f"whatsapp-pending: {answered} answered, {expired} abandoned registration(s) removed")
