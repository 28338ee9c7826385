"""Which phone numbers may see which KPJ: bindings made by a successful registration
(SMS DAFTAR SALDO, web, WhatsApp), and the attempts that count towards the abuse limits."""

from django.db import models

from saldo.registry.models import Membership


class PhoneBinding(models.Model):
    phone = models.CharField(max_length=16)  # +62…
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="phone_bindings")
    channel = models.CharField(max_length=10)  # where the binding was made: sms, web, whatsapp, api
    bound_at = models.DateTimeField()

    class Meta:
        verbose_name = "nomor terdaftar"
        verbose_name_plural = "nomor terdaftar"
        constraints = [models.UniqueConstraint(fields=["phone", "membership"], name="binding_once")]

    def __str__(self) -> str:
        return f"binding {self.id}"


class RegistrationAttempt(models.Model):
    phone = models.CharField(max_length=16)
    channel = models.CharField(max_length=10)
    at = models.DateTimeField()
    succeeded = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["phone", "at"], name="registration_attempt_phone_at")]

    def __str__(self) -> str:
        # Never the phone number: admin lists and logs show this.
        return f"attempt {self.id} {'ok' if self.succeeded else 'failed'}"
