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


class PhoneBindingEnded(models.Model):
    """A binding that ended (a "not me" report, a death, a contact change, the member's own
    unbinding), kept for the record; PhoneBinding holds only the live ones."""

    phone = models.CharField(max_length=16)
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10)
    bound_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    reason = models.CharField(max_length=20)

    def __str__(self) -> str:
        return f"ended binding {self.id}"


class RegistrationAttempt(models.Model):
    """One registration on any channel. A failure counts against the number, the KPJ, the NIK
    and the client address it came with (each may be blank: SMS has no address). KPJ, NIK and
    address are kept as keyed hashes (core.throttle.throttle_key): the table is no copy of them."""

    phone = models.CharField(max_length=16, blank=True)
    kpj = models.CharField(max_length=64, blank=True, default="")
    nik = models.CharField(max_length=64, blank=True, default="")
    client = models.CharField(max_length=64, blank=True, default="")
    channel = models.CharField(max_length=10)
    at = models.DateTimeField()
    succeeded = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(fields=["phone", "at"], name="registration_attempt_phone_at"),
            models.Index(fields=["kpj", "at"], name="registration_attempt_kpj_at"),
            models.Index(fields=["nik", "at"], name="registration_attempt_nik_at"),
            models.Index(fields=["client", "at"], name="registration_attempt_client_at"),
        ]

    def __str__(self) -> str:
        # Never the phone number: admin lists and logs show this.
        return f"attempt {self.id} {'ok' if self.succeeded else 'failed'}"


class MemberAccount(models.Model):
    """A person's login to the web portal and the mobile app: a Django user (the email is the
    username; Argon2 password) tied to the registry's Person. One-time PINs go to the person's
    phone on record (registry.Person.phone), never to a number typed at registration."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="member_account")
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="member_account")
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
        RESET = "reset", _("atur ulang kata sandi")  # mailed, never texted (portal password reset)
        CONTACT = "contact", _("ganti kontak")  # account settings: to the old contact, then the new one

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
    """A failed password login, counted per email and per (email, client address): keyed hashes of
    both (core.throttle.throttle_key), so the table is no list of who tried which address."""

    email = models.CharField(max_length=254)
    client = models.CharField(max_length=64, blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["email", "at"], name="login_failure_email_at"),
            models.Index(fields=["email", "client", "at"], name="login_failure_client_at"),
        ]

    def __str__(self) -> str:
        return f"login failure {self.id}"


class SecurityEvent(models.Model):
    """Something done in a member's name that the member is told of at once, on every contact on
    record, with a code to report "not me" (identity.notices). Only a keyed hash of the code is kept."""

    class Kind(models.TextChoices):
        ACCOUNT_OPENED = "account_opened", _("akun dibuka")
        REGISTRATION_ATTEMPT = "registration_attempt", _("percobaan pendaftaran")
        REGISTRATION_REPEATED = "registration_again", _("pendaftaran berulang")
        NUMBER_BOUND = "number_bound", _("nomor didaftarkan")
        NEW_DEVICE = "new_device", _("masuk dari perangkat baru")
        PASSWORD_CHANGED = "password_changed", _("kata sandi diganti")
        PHONE_CHANGED = "phone_changed", _("nomor ponsel diganti")
        EMAIL_CHANGED = "email_changed", _("email diganti")
        CONTACT_CHANGE_REQUESTED = "contact_change", _("permintaan ganti kontak")
        CLAIM_FILED = "claim_filed", _("klaim diajukan")
        CLAIM_PAID = "claim_paid", _("klaim dibayar")
        BANK_ACCOUNT_ADDED = "bank_account", _("rekening bank ditambahkan")
        BINDINGS_ENDED = "bindings_ended", _("nomor terdaftar diakhiri")
        ACCESS_FROZEN = "access_frozen", _("akses dibekukan")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="security_events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    channel = models.CharField(max_length=10)  # web, api, sms, whatsapp, staff, cli
    detail = models.CharField(max_length=80, blank=True)  # masked: never a whole number or address
    at = models.DateTimeField()
    report_code_hash = models.CharField(max_length=64, unique=True)
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("peristiwa keamanan")
        verbose_name_plural = _("peristiwa keamanan")
        indexes = [models.Index(fields=["person", "at"], name="security_event_person_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class AccessFreeze(models.Model):
    """Online access and claims of a person stopped by a "not me" report until staff clear it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="access_freezes",
                               verbose_name=_("peserta"))
    event = models.ForeignKey(SecurityEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("peristiwa yang dilaporkan"))
    frozen_at = models.DateTimeField(_("dibekukan pada"))
    reason = models.CharField(_("alasan"), max_length=200)
    cleared_at = models.DateTimeField(_("dibuka pada"), null=True, blank=True)
    cleared_by = models.CharField(_("dibuka oleh"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("pembekuan akses")
        verbose_name_plural = _("pembekuan akses")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(cleared_at__isnull=True), name="one_live_freeze_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"pembekuan #{self.id}"


class ContactChange(models.Model):
    """A member's request to change the phone and/or email on record (the old number is lost).

    waiting --staff approve--> approved --cooling-off over--> done
       |                          |
       +--staff reject--> rejected +--"not me" / member--> cancelled

    It takes effect only after a registry clerk approved it (not the one who entered it) AND the
    cooling-off period has passed; until then the old contacts on record, told at once, can stop it
    with "not me". The e-KTP photo and the selfie holding it are private files, shown to staff."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("menunggu pemeriksaan petugas")
        APPROVED = "approved", _("disetujui, menunggu masa tenggang")
        DONE = "done", _("berlaku")
        REJECTED = "rejected", _("ditolak")
        CANCELLED = "cancelled", _("dibatalkan")

    OPEN = (Status.WAITING, Status.APPROVED)

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contact_changes",
                               verbose_name=_("peserta"))
    phone = models.CharField(_("nomor ponsel baru"), max_length=16, blank=True)  # blank: unchanged
    email = models.EmailField(_("email baru"), blank=True)  # blank: unchanged
    old_phone = models.CharField(_("ponsel tercatat sebelumnya"), max_length=16, blank=True)
    old_email = models.EmailField(_("email tercatat sebelumnya"), blank=True)
    channel = models.CharField(_("kanal"), max_length=10)
    entered_by = models.CharField(_("dimasukkan oleh"), max_length=100)  # member:web, member:api, staff:<username>
    requested_at = models.DateTimeField(_("diajukan pada"))
    ktp_photo = models.CharField(max_length=200)  # relative to the private document root
    selfie_photo = models.CharField(max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    reviewed_by = models.CharField(_("disetujui oleh"), max_length=100, blank=True)
    reviewed_at = models.DateTimeField(_("disetujui pada"), null=True, blank=True)
    effective_at = models.DateTimeField(_("berlaku pada"), null=True, blank=True)  # approval + cooling-off
    decided_by = models.CharField(_("diputuskan oleh"), max_length=100, blank=True)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("perubahan kontak")
        verbose_name_plural = _("perubahan kontak")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["waiting", "approved"]),
                name="one_open_contact_change",
            )
        ]
        indexes = [models.Index(fields=["status", "effective_at"], name="contact_change_due")]

    def __str__(self) -> str:
        return f"perubahan kontak #{self.id}"
