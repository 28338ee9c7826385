"""JHT claims: the application, its documents, and the append-only trail of who did what.

    submitted ──> verifying ──> approved ──> paid
        │             │  └────> rejected (reason)
        │             │
        └─────────────┴───────> cancelled (by the member, before approval)
    submitted ──> rejected (reason)

A claim above the self-service limit (or of a reason that staff always verify) also needs the
staff's video call or branch visit recorded (`verified`) before it can be approved.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from saldo.claims.rules import PARTIAL_REASONS, Document, Reason
from saldo.ledger.models import Posting
from saldo.registry.models import Membership, Person


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    VERIFYING = "verifying", _("Diverifikasi")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    PAID = "paid", _("Dibayar")
    CANCELLED = "cancelled", _("Dibatalkan")


OPEN_STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.VERIFYING, ClaimStatus.APPROVED)
# The member may withdraw a claim until staff approve it.
CANCELLABLE_STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.VERIFYING)
ENDED_UNPAID = (ClaimStatus.REJECTED, ClaimStatus.CANCELLED)


class Verification(models.TextChoices):
    SELF_SERVICE = "self_service", _("Mandiri (pemeriksaan dokumen)")
    VIDEO_CALL = "video_call", _("Panggilan video")
    BRANCH_VISIT = "branch_visit", _("Kunjungan ke kantor cabang")


STAFF_VERIFICATIONS = (Verification.VIDEO_CALL, Verification.BRANCH_VISIT)
REASON_CHOICES = [(r.value, r.value) for r in Reason]
FULL_REASONS = sorted(r.value for r in Reason if r not in PARTIAL_REASONS)
PARTIAL_REASON_CODES = sorted(r.value for r in PARTIAL_REASONS)


class Claim(models.Model):
    # "KL-YYYYMMDD-000123", set in the transaction that creates the claim (from its id).
    number = models.CharField("nomor klaim", max_length=24, unique=True, null=True)
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="claims")
    # The KPJ's holder, kept here so the database can hold "one partial claim per person".
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="claims")
    reason = models.CharField("alasan", max_length=20, choices=REASON_CHOICES)
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    verification = models.CharField("verifikasi", max_length=12, choices=Verification.choices)
    verified = models.BooleanField("verifikasi staf selesai", default=False)
    # Departure, disability or death, for the reasons that need one.
    event_date = models.DateField("tanggal kejadian", null=True, blank=True)
    heir_name = models.CharField("nama ahli waris", max_length=100, blank=True)
    bank_account = models.CharField("rekening bank tujuan", max_length=60)
    # The bank's 3-digit BI code, the holder's name as the bank answered the inquiry (the member's
    # own, or the heir's for a death claim) and the bank's reference of that inquiry. Empty on
    # claims filed before the bank was asked.
    bank_code = models.CharField("kode bank", max_length=3, blank=True, default="")
    bank_account_name = models.CharField("nama pemilik rekening (dari bank)", max_length=100, blank=True, default="")
    bank_reference = models.CharField("referensi pemeriksaan rekening", max_length=64, blank=True, default="")
    submitted_at = models.DateTimeField("diajukan")
    # The estimate the member saw when applying (whole rupiah).
    estimated_gross = models.BigIntegerField()
    estimated_tax = models.BigIntegerField()
    rejection_reason = models.TextField("alasan penolakan", blank=True)
    # What was paid, set once by claim_pay together with the ledger posting.
    paid_on = models.DateField("dibayar", null=True, blank=True)
    paid_jht = models.BigIntegerField(null=True, blank=True)
    paid_jp = models.BigIntegerField(null=True, blank=True)
    paid_tax = models.BigIntegerField(null=True, blank=True)
    posting = models.OneToOneField(Posting, on_delete=models.PROTECT, null=True, blank=True, related_name="claim")

    class Meta:
        verbose_name = "klaim JHT"
        verbose_name_plural = "klaim JHT"
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="claim_queue"),
            models.Index(fields=["person", "paid_on"], name="claim_person_paid_on"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"], condition=models.Q(status__in=OPEN_STATUSES), name="claim_one_open_per_account"
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(reason__in=PARTIAL_REASON_CODES) & ~models.Q(status__in=ENDED_UNPAID),
                name="claim_partial_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(reason__in=FULL_REASONS, status=ClaimStatus.PAID),
                name="claim_full_paid_once_per_account",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ClaimStatus.REJECTED) | ~models.Q(rejection_reason=""),
                name="claim_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ClaimStatus.PAID)
                | models.Q(posting__isnull=False, paid_on__isnull=False, paid_tax__isnull=False),
                name="claim_paid_has_posting",
            ),
            models.CheckConstraint(
                condition=models.Q(verification__in=Verification.values), name="claim_verification_known"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"klaim {self.id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def needs_staff_verification(self) -> bool:
        return self.verification in STAFF_VERIFICATIONS


class ClaimDocument(models.Model):
    """One uploaded document. The file lives under SALDO_CLAIMS["DOCUMENT_ROOT"] at `path`."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("jenis", max_length=30, choices=[(d.value, d.value) for d in Document])
    original_name = models.CharField("nama berkas", max_length=200)
    content_type = models.CharField(max_length=30)  # detected from the content
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=100, unique=True)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = "dokumen klaim"
        verbose_name_plural = "dokumen klaim"

    def __str__(self) -> str:
        return f"{self.kind} ({self.content_type})"


class ClaimEvent(models.Model):
    """Append-only: who did what to a claim, when. Rows are never changed or deleted (a model
    guard here, and a trigger on PostgreSQL and SQLite)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Diajukan")
        VERIFICATION_STARTED = "verification_started", _("Mulai diverifikasi")
        VERIFIED = "verified", _("Verifikasi staf dicatat")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")
        CANCELLED = "cancelled", _("Dibatalkan")
        PAID = "paid", _("Dibayar")
        BANK_ACCOUNT_CHANGED = "bank_account_changed", _("Rekening tujuan diganti")

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    # "staff:<username>", "member:<channel>" (web, api, sms, whatsapp) or "system".
    actor = models.CharField(max_length=100)
    action = models.CharField(max_length=25, choices=Action.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = "riwayat klaim"
        verbose_name_plural = "riwayat klaim"
        indexes = [models.Index(fields=["claim", "at"], name="claim_event_claim_at")]

    def __str__(self) -> str:
        return f"{self.action} {self.actor}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("claim events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("claim events are append-only")
