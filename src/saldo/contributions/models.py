from django.db import models

from saldo.ledger.models import Posting
from saldo.registry.models import Membership


class Contribution(models.Model):
    """One month of iuran received for one KPJ (its employer is the membership's).

    Unique on (membership, period): the natural key employer + period + KPJ, since a KPJ
    belongs to one employer. The amounts are the ones posted to the ledger."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="contributions")
    period = models.DateField("periode")  # first day of the wage month
    wage = models.BigIntegerField("upah")
    jht_employer = models.BigIntegerField()
    jht_worker = models.BigIntegerField()
    jp_employer = models.BigIntegerField()
    jp_worker = models.BigIntegerField()
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, db_index=False)

    class Meta:
        verbose_name = "iuran"
        verbose_name_plural = "iuran"
        constraints = [
            models.UniqueConstraint(fields=["membership", "period"], name="contribution_once_a_month"),
            models.CheckConstraint(condition=models.Q(wage__gt=0), name="contribution_wage_positive"),
        ]
        # The unique constraint's index (membership, period) serves status and history reads.

    def __str__(self) -> str:
        return f"{self.membership_id} {self.period:%Y-%m}"
