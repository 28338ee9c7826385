"""The ledger's invariant, checkable anywhere: every balance equals the sum of its entries."""

from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class Mismatch:
    account_id: int
    kpj: str
    programme: str
    balance: int
    entries_sum: int


def ledger_mismatches() -> list[Mismatch]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.id, m.kpj, a.programme, a.balance, COALESCE(s.total, 0)
            FROM ledger_account a
            JOIN registry_membership m ON m.id = a.membership_id
            LEFT JOIN (SELECT account_id, SUM(amount) AS total FROM ledger_entry GROUP BY account_id) s
                   ON s.account_id = a.id
            WHERE a.balance <> COALESCE(s.total, 0)
            ORDER BY m.kpj, a.programme
            """
        )
        return [Mismatch(*row) for row in cursor.fetchall()]


def entries_without_posting() -> int:
    """Entries whose posting, account or reversed original is missing: the database does not
    check these keys per row, so the verification does (it should always be 0)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT COUNT(*) FROM ledger_entry e
               WHERE NOT EXISTS (SELECT 1 FROM ledger_posting p WHERE p.id = e.posting_id)
                  OR NOT EXISTS (SELECT 1 FROM ledger_account a WHERE a.id = e.account_id)
                  OR (e.reverses_id IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM ledger_entry o WHERE o.id = e.reverses_id))"""
        )
        return cursor.fetchone()[0]
