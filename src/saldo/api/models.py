"""Sessions of the mobile app: one per device a member logs in from, each with a short-lived
access token and a refresh token that only works from that device. Tokens are stored as SHA-256
hashes (they are long random strings, so a fast hash is enough); the token itself exists only in
the app.

    ApiSession (account, device) 1──* ApiToken (access | refresh)
    AuthChallenge: a registration or login waiting for its SMS PIN
    RateCounter: requests per bucket (token, IP) per fixed window
"""

from django.db import models

from saldo.identity.models import MemberAccount


class ApiSession(models.Model):
    account = models.ForeignKey(MemberAccount, on_delete=models.CASCADE, related_name="api_sessions")
    device_id = models.CharField(max_length=64)  # chosen by the app, stable per installation
    device_name = models.CharField(max_length=100, blank=True)  # shown in the member's device list
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "sesi aplikasi"
        verbose_name_plural = "sesi aplikasi"
        constraints = [
            # A device has one live session per account: logging in again replaces it.
            models.UniqueConstraint(
                fields=["account", "device_id"], condition=models.Q(revoked_at__isnull=True), name="api_session_live"
            )
        ]

    def __str__(self) -> str:
        return f"session {self.id}"


class ApiToken(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", "access"
        REFRESH = "refresh", "refresh"

    session = models.ForeignKey(ApiSession, on_delete=models.CASCADE, related_name="tokens")
    kind = models.CharField(max_length=7, choices=Kind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # A refresh token is spent when exchanged; presenting it again revokes its session (it leaked).
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "token aplikasi"
        verbose_name_plural = "token aplikasi"
        indexes = [models.Index(fields=["session", "expires_at"], name="api_token_session_expiry")]

    def __str__(self) -> str:
        return f"{self.kind} token {self.id}"


class AuthChallenge(models.Model):
    """A registration or login that passed its first step and waits for the SMS PIN; the app
    holds the challenge (a random string, stored hashed) and sends it back with the PIN."""

    class Purpose(models.TextChoices):
        ACTIVATION = "activation", "activation"
        LOGIN = "login", "login"

    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    account = models.ForeignKey(MemberAccount, on_delete=models.CASCADE, related_name="+")
    challenge_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tantangan masuk"
        verbose_name_plural = "tantangan masuk"

    def __str__(self) -> str:
        return f"challenge {self.id} {self.purpose}"


class RateCounter(models.Model):
    """Requests counted for one bucket (`token:<session>`, `ip:<address>`, `auth-ip:<address>`) in
    one fixed window, `window_start` being its start in seconds since the epoch."""

    bucket = models.CharField(max_length=100)
    window_start = models.BigIntegerField()
    hits = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bucket", "window_start"], name="rate_counter_once")]
        indexes = [models.Index(fields=["window_start"], name="rate_counter_window")]

    def __str__(self) -> str:
        return f"rate {self.bucket} @{self.window_start}"
