"""What the portal keeps of its own: attempts counted for its per-client throttles."""

from django.db import models


class WebAttempt(models.Model):
    """One counted request (a failed login or registration, a reset request), keyed by a hash of
    the client address, KPJ or email, so the table holds no address or number in clear."""

    class Kind(models.TextChoices):
        LOGIN = "login", "login"
        REGISTER = "register", "register"
        RESET = "reset", "reset"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        verbose_name = "percobaan web"
        verbose_name_plural = "percobaan web"
        indexes = [models.Index(fields=["kind", "key", "at"], name="web_attempt_kind_key_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"
