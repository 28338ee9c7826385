"""One error hierarchy for the domain. Each error carries a stable machine `code`.

Channels map the code to a reply in the member's language; the CLI prints the message.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _


class SaldoError(Exception):
    code = "error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotFound(SaldoError):
    code = "not_found"


class IdempotencyConflict(SaldoError):
    """The same idempotency key was used before with a different payload."""

    code = "idempotency_conflict"


class ConfigurationMissing(SaldoError):
    """A dated rate, cap or declared return is missing for the date asked."""

    code = "configuration_missing"


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of one input row (line 0 = not tied to a line)."""

    field: str
    message: str
    line: int = 0

    def __str__(self) -> str:
        values = {"line": self.line, "field": self.field, "message": self.message}
        if self.line:
            return _("baris %(line)d, kolom %(field)s: %(message)s") % values
        return _("kolom %(field)s: %(message)s") % values


class ValidationError(SaldoError):
    """Input that breaks a rule; `errors` lists every problem found, not just the first."""

    code = "invalid"

    def __init__(self, errors: list[FieldError], *, message: str | None = None):
        self.errors = list(errors)
        super().__init__(message or "; ".join(str(e) for e in self.errors[:20]))
