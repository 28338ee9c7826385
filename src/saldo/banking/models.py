"""The audit of every account inquiry, answered or not. Append-only (a model guard).

Never the whole account number: its last four digits. Never the holder's name when it did not
match (it is someone else's); the bank's reference when it gave one."""

from django.db import models


class BankInquiry(models.Model):
    class Purpose(models.TextChoices):
        CLAIM_SUBMIT = "claim_submit", "pengajuan klaim"
        CLAIM_BANK_CHANGE = "claim_bank_change", "ganti rekening klaim"

    at = models.DateTimeField()
    # Who asked: "member:web", "member:api", "staff:<username>" (claims' actor names).
    asked_by = models.CharField(max_length=100)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    kpj = models.CharField(max_length=11)
    claim_number = models.CharField(max_length=24, blank=True)  # empty until the claim exists
    bank_code = models.CharField(max_length=3)
    account_tail = models.CharField("rekening (4 angka terakhir)", max_length=4)
    # "ok", "bank_account_name_mismatch", or the error's code (banking/errors.py).
    result = models.CharField(max_length=40)
    reference = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "pemeriksaan rekening"
        verbose_name_plural = "pemeriksaan rekening"
        indexes = [models.Index(fields=["kpj", "at"], name="bank_inquiry_kpj_at")]

    def __str__(self) -> str:
        return f"{self.bank_code} ****{self.account_tail} {self.result}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("bank inquiries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("bank inquiries are append-only")
