"""The audit trail: every disclosure of a member's balance or personal data, append-only."""

from django.db import models


class Disclosure(models.Model):
    channel = models.CharField(max_length=10)  # sms, whatsapp, web, api, cli
    # Who received it: the phone number (+62…), the user id, or the operator's login.
    recipient = models.CharField(max_length=100)
    kpj = models.CharField(max_length=11)
    what = models.CharField(max_length=30)  # balance, status, statement, card, contributions
    at = models.DateTimeField()

    class Meta:
        verbose_name = "pengungkapan data"
        verbose_name_plural = "pengungkapan data"
        indexes = [
            models.Index(fields=["kpj", "at"], name="disclosure_kpj_at"),
            models.Index(fields=["recipient", "at"], name="disclosure_recipient_at"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.what} {self.kpj}"
