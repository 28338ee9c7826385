"""Writes to the ledger. Every posting is idempotent on its key: the same key with the same lines
returns the stored posting; the same key with other lines raises IdempotencyConflict."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from saldo.core import bulk
from saldo.core.errors import FieldError, IdempotencyConflict, NotFound, SaldoError, ValidationError
from saldo.ledger.models import Account, Entry, EntryKind, Posting, Programme
from saldo.registry.models import Membership


@dataclass(frozen=True)
class Line:
    account_id: int
    kind: str
    amount: int
    value_date: date
    reverses_id: int | None = None


def accounts_open(*, membership: Membership) -> list[Account]:
    """Every membership has one account per programme; creating them twice is harmless."""
    for programme in Programme.values:
        Account.objects.get_or_create(membership=membership, programme=programme)
    return list(membership.accounts.order_by("programme"))


def posting_create(*, key: str, lines: list[Line], description: str = "") -> Posting:
    """Post `lines` under `key` atomically, with balances updated in the same transaction."""
    if not lines:
        raise ValidationError([FieldError("lines", _("posting tanpa entri"))])
    try:
        with transaction.atomic():
            posting = Posting.objects.create(key=key, description=description)
            _entries_write(posting, lines)
            return posting
    except IntegrityError:
        existing = Posting.objects.filter(key=key).first()
        if existing is None:
            raise  # a constraint other than the key: a real error
        _check_same_lines(existing, lines)
        return existing


def reversal_create(*, original_key: str, key: str, description: str = "") -> Posting:
    """Reverse every entry of the posting `original_key` with a new posting under `key`."""
    original = Posting.objects.filter(key=original_key).first()
    if original is None:
        raise NotFound(_("posting %(key)s tidak ada") % {"key": original_key})
    entries = list(original.entries.order_by("id"))
    return entries_reverse(entries=entries, key=key, description=description or f"koreksi {original_key}")


def entries_reverse(*, entries: list[Entry], key: str, description: str) -> Posting:
    """Post, under `key`, one reversal entry for each of `entries`. An entry already reversed
    (under another key) is refused; the same key again returns the stored reversal."""
    lines = [Line(e.account_id, EntryKind.REVERSAL, -e.amount, e.value_date, reverses_id=e.id) for e in entries]
    existing = Posting.objects.filter(key=key).first()
    if existing is None and Entry.objects.filter(reverses__in=entries).exists():
        raise SaldoError(_("entri ini sudah pernah dikoreksi"), code="already_reversed")
    return posting_create(key=key, lines=lines, description=description)


def _entries_write(posting: Posting, lines: list[Line]) -> None:
    Entry.objects.bulk_create(
        Entry(
            posting=posting,
            account_id=line.account_id,
            kind=line.kind,
            amount=line.amount,
            value_date=line.value_date,
            reverses_id=line.reverses_id,
        )
        for line in lines
    )
    deltas: dict[int, int] = defaultdict(int)
    for line in lines:
        deltas[line.account_id] += line.amount
    for account_id, delta in deltas.items():
        Account.objects.filter(id=account_id).update(balance=F("balance") + delta)


def _check_same_lines(posting: Posting, lines: list[Line]) -> None:
    stored = sorted((e.account_id, e.kind, e.amount, e.value_date, e.reverses_id) for e in posting.entries.all())
    given = sorted((x.account_id, x.kind, x.amount, x.value_date, x.reverses_id) for x in lines)
    if stored != given:
        raise IdempotencyConflict(_("kunci %(key)s sudah dipakai untuk posting yang berbeda") % {"key": posting.key})


def balances_add(*, deltas_sql: str, params: list | tuple = (), one_row_per_account: bool = False) -> int:
    """Add bulk-written entries to their accounts' balances in one statement. `deltas_sql`
    selects rows with columns `account_id` and `amount`, several per account allowed (or at most
    one, if `one_row_per_account`: the sum is then skipped), mirroring exactly the entries the
    caller just wrote; run it in the transaction that wrote them."""
    if not one_row_per_account:
        deltas_sql = f"""SELECT account_id, CAST(SUM(amount) AS bigint) AS amount FROM ({deltas_sql}) AS x
                         GROUP BY account_id"""
    return bulk.execute(
        f"""UPDATE ledger_account SET balance = ledger_account.balance + d.amount
            FROM ({deltas_sql}) AS d WHERE ledger_account.id = d.account_id""",
        params,
    )


def balances_add_per_membership(
    *, deltas_sql: str, params: list | tuple = (), one_row_per_membership: bool = False
) -> int:
    """Like balances_add, for deltas keyed by membership: `deltas_sql` selects `membership_id`,
    `jht` and `jp`, several rows per membership allowed (or at most one, if
    `one_row_per_membership`: the sum is then skipped). Accounts whose delta is 0 are not touched.

    Keyed by membership, a million-row wage report is one hash of a million rows joined to the
    accounts in one sequential pass, the shape of the plainest possible UPDATE; summed per
    account, the planner cannot estimate the groups and walks the accounts in random order."""
    if not one_row_per_membership:
        deltas_sql = f"""SELECT membership_id, CAST(SUM(jht) AS bigint) AS jht, CAST(SUM(jp) AS bigint) AS jp
                         FROM ({deltas_sql}) AS x GROUP BY membership_id"""
    delta = "CASE ledger_account.programme WHEN 'JHT' THEN d.jht ELSE d.jp END"
    return bulk.execute(
        f"""UPDATE ledger_account SET balance = ledger_account.balance + {delta}
            FROM ({deltas_sql}) AS d
            WHERE ledger_account.membership_id = d.membership_id AND {delta} <> 0""",
        params,
    )
