"""`saldo send-pending`: send outbox messages still queued after their transaction committed
(the process died between the commit and the send). Run it from cron every minute or two."""

from datetime import timedelta

from django.core.management.base import CommandError

from saldo.channels.outbox import outbound_send_pending
from saldo.core.management.base import SaldoCommand


class Command(SaldoCommand):
    help = "Send queued SMS/WhatsApp messages older than --older-than seconds; print how each ended."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--older-than",
            type=int,
            default=60,
            help="seconds; younger messages are still being sent by the request that queued them (default 60)",
        )
        parser.add_argument("--limit", type=int, default=1000, help="at most this many messages per run")

    def handle(self, *args, **options):
        if options["older_than"] < 0 or options["limit"] < 1:
            raise CommandError("--older-than must be >= 0 and --limit >= 1")
        counts = outbound_send_pending(
            now=self.now(), older_than=timedelta(seconds=options["older_than"]), limit=options["limit"]
        )
        summary = ", ".join(f"{status} {count}" for status, count in sorted(counts.items())) or "nothing queued"
        self.stdout.write(f"send-pending: {summary}")
        if counts.get("failed"):
            raise CommandError(f"{counts['failed']} message(s) failed; see last_error", returncode=1)
