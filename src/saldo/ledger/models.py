"""Append-only ledger: one account per KPJ per programme; postings group entries under one
idempotency key; a correction is a new posting of reversal entries, never an edit.

    Posting (key unique) 1──* Entry *──1 Account (balance = Σ entry.amount)
"""

from django.db import models

from saldo.registry.models import Membership


class Programme(models.TextChoices):
    JHT = "JHT", "Jaminan Hari Tua"
    JP = "JP", "Jaminan Pensiun"


class EntryKind(models.TextChoices):
    EMPLOYER_CONTRIBUTION = "employer", "Iuran pemberi kerja"
    WORKER_CONTRIBUTION = "worker", "Iuran pekerja"
    RETURNS = "returns", "Hasil pengembangan"
    WITHDRAWAL = "withdrawal", "Penarikan"
    TAX = "tax", "Pajak"
    TRANSFER = "transfer", "Pemindahan saldo"
    REVERSAL = "reversal", "Koreksi (pembalikan)"


CREDIT_KINDS = [EntryKind.EMPLOYER_CONTRIBUTION, EntryKind.WORKER_CONTRIBUTION, EntryKind.RETURNS]
DEBIT_KINDS = [EntryKind.WITHDRAWAL, EntryKind.TAX]


class Account(models.Model):
    # No index of its own: the unique (membership, programme) index serves lookups, and one
    # index fewer keeps balance updates in-place (HOT) on PostgreSQL.
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="accounts", db_index=False)
    programme = models.CharField(max_length=3, choices=Programme.choices)
    # Materialised Σ entry.amount, updated in the same transaction as every entry.
    balance = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "rekening"
        verbose_name_plural = "rekening"
        constraints = [
            models.UniqueConstraint(fields=["membership", "programme"], name="account_one_per_programme"),
            models.CheckConstraint(condition=models.Q(programme__in=["JHT", "JP"]), name="account_programme_known"),
            models.CheckConstraint(condition=models.Q(balance__gte=0), name="account_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.kpj}/{self.programme}"


class Posting(models.Model):
    """One business event (an import, a year's returns, a claim payment), idempotent on `key`."""

    key = models.CharField(max_length=200, unique=True)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "posting"

    def __str__(self) -> str:
        return self.key


class Entry(models.Model):
    # The FK indexes are left out on purpose: bulk imports write millions of entries and every
    # index slows them; reads go through (account, value_date). The posting, account and
    # reverses keys are not checked per row by the database either (those checks doubled an
    # import's time): postings and accounts are never deleted (triggers on PostgreSQL), entries
    # are written only with their posting, and `saldo verify-ledger` reports any entry whose
    # posting, account or original is missing.
    posting = models.ForeignKey(
        Posting, on_delete=models.PROTECT, related_name="entries", db_index=False, db_constraint=False
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries", db_index=False, db_constraint=False
    )
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    amount = models.BigIntegerField()
    # The day the money counts from (iuran: last day of its wage month; returns: 31 Dec).
    value_date = models.DateField()
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, db_index=False, db_constraint=False
    )

    class Meta:
        verbose_name = "entri"
        verbose_name_plural = "entri"
        indexes = [models.Index(fields=["account", "value_date"], name="entry_account_value_date")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=CREDIT_KINDS, amount__gt=0)
                    | models.Q(kind__in=DEBIT_KINDS, amount__lt=0)
                    | (models.Q(kind__in=[EntryKind.TRANSFER, EntryKind.REVERSAL]) & ~models.Q(amount=0))
                ),
                name="entry_sign_matches_kind",
            ),
            # An entry is reversed at most once: a second correction would double it.
            models.UniqueConstraint(
                fields=["reverses"], condition=models.Q(reverses__isnull=False), name="entry_reversed_once"
            ),
            # One returns entry per account and value date in a posting. Not one per account and
            # day: a claim that closes an account on 31 Dec, or pays a year not yet credited, credits
            # returns valued 31 Dec that crediting the year (returns:<year>) may settle on the same
            # day. Crediting a year twice is prevented by its posting's key.
            models.UniqueConstraint(
                fields=["account", "value_date", "posting"],
                condition=models.Q(kind="returns"),
                name="entry_returns_once_per_posting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} @{self.value_date}"
