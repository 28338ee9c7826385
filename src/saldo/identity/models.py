"""Which phone numbers may see which KPJ: bindings made by a successful registration
(SMS DAFTAR SALDO, web, WhatsApp), and the attempts that count towards the abuse limits."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saldo.registry.models import Membership, Person


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


class MemberAccount(models.Model):
    """A person's login to the web portal and the mobile app: a Django user (the email is the
    username; Argon2 password) tied to the registry's Person. One-time PINs go to `phone`."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="member_account")
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="member_account")
    phone = models.CharField(max_length=16)  # +62…
    created_at = models.DateTimeField()
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "akun peserta"
        verbose_name_plural = "akun peserta"

    def __str__(self) -> str:
        # Never the email or phone: admin lists and logs show this.
        return f"account {self.id}"


class OneTimePin(models.Model):
    """A PIN sent by SMS, good for one purpose, one subject, a few minutes and a few tries.

    Only a keyed hash of the code is stored; the code itself exists in the SMS alone."""

    class Purpose(models.TextChoices):
        ACTIVATION = "activation", _("aktivasi akun")
        BALANCE = "balance", _("cek saldo")
        LOGIN = "login", _("masuk aplikasi")
        BINDING = "binding", _("daftarkan nomor")

    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    # Whose PIN: an opaque key chosen by the caller, e.g. "account:12" or "whatsapp:628…".
    subject = models.CharField(max_length=60)
    code_hash = models.CharField(max_length=64)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "PIN sekali pakai"
        verbose_name_plural = "PIN sekali pakai"
        indexes = [models.Index(fields=["purpose", "subject", "issued_at"], name="pin_subject_issued")]

    def __str__(self) -> str:
        return f"pin {self.id} {self.purpose}"


class LoginFailure(models.Model):
    """A failed password login, counted per email (lowercased) for the lockout."""

    email = models.CharField(max_length=254)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["email", "at"], name="login_failure_email_at")]

    def __str__(self) -> str:
        return f"login failure {self.id}"
