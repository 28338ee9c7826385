from django.db import models

from saldo.ledger.models import Posting
from saldo.registry.models import Membership


class ContributionQuerySet(models.QuerySet):
    def in_force(self) -> "ContributionQuerySet":
        """Contributions not reversed: the iuran a member actually has."""
        return self.filter(reversal__isnull=True)


class Contribution(models.Model):
    """One month of iuran received for one KPJ (its employer is the membership's).

    Unique on (membership, period) among contributions in force: the natural key employer +
    period + KPJ, since a KPJ belongs to one employer. The amounts are the ones posted to the
    ledger. A correction reverses the row's entries (`reversal`), after which the month can be
    posted again with the right wage; the reversed row stays as history."""

    # Not checked per row by the database either (the check, at commit, was a tenth of a large
    # import's time): a contribution is written only with its four entries in the membership's
    # accounts, and a membership that has accounts cannot be deleted (the accounts' foreign key,
    # and no account can be deleted: ledger/0002). The ORM still protects it (PROTECT).
    # No index of its own either: every read is of contributions in force, which the partial
    # unique index (membership, period) serves; a second index only added a million inserts.
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="contributions", db_constraint=False, db_index=False
    )
    period = models.DateField("periode")  # first day of the wage month
    wage = models.BigIntegerField("upah")
    jht_employer = models.BigIntegerField()
    jht_worker = models.BigIntegerField()
    jp_employer = models.BigIntegerField()
    jp_worker = models.BigIntegerField()
    # Not checked per row by the database, as for ledger entries (see ledger.models.Entry).
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, db_index=False, db_constraint=False)
    reversal = models.ForeignKey(
        Posting, on_delete=models.PROTECT, null=True, blank=True, db_index=False, related_name="+", db_constraint=False
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = "iuran"
        verbose_name_plural = "iuran"
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "period"],
                condition=models.Q(reversal__isnull=True),
                name="contribution_once_a_month",
            ),
            models.CheckConstraint(condition=models.Q(wage__gt=0), name="contribution_wage_positive"),
        ]
        # The partial unique index (membership, period) serves status and history reads: in force only.

    def __str__(self) -> str:
        return f"{self.membership_id} {self.period:%Y-%m}"
