"""What every saldo command shares: the clock read once at the edge, errors printed per line,
and a progress bar only when a person is watching."""

import sys
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from saldo.core.errors import SaldoError, ValidationError


def parse_as_of(value: str | None) -> date:
    if not value:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("--as-of harus berformat YYYY-MM-DD")) from None


class SaldoCommand(BaseCommand):
    """A command whose `run` raises SaldoError on bad input; it is printed, exit status 1."""

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except ValidationError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            message = _("%(count)d kesalahan; tidak ada yang diposting.") % {"count": len(exc.errors)}
            raise CommandError(message, returncode=1) from None
        except SaldoError as exc:
            raise CommandError(exc.message, returncode=1) from None

    def now(self) -> datetime:
        return timezone.now()

    @contextmanager
    def progress(self, total: int, desc: str) -> Callable[[int], None]:
        bar = tqdm(total=total, desc=desc, unit=_("baris"), disable=not sys.stderr.isatty(), file=sys.stderr)
        try:
            yield bar.update
        finally:
            bar.close()
