"""What core keeps: the attempts counted by the adapters' throttles (core/throttle.py)."""

from django.db import models


class Attempt(models.Model):
    """One counted attempt (a failed login or registration, a reset request), keyed by a hash of
    the client address, KPJ or email, so the table holds no address or number in clear. `kind`
    names the throttle (the portal's "login", the API's "api_login", ...)."""

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        verbose_name = "percobaan"
        verbose_name_plural = "percobaan"
        indexes = [models.Index(fields=["kind", "key", "at"], name="attempt_kind_key_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"
