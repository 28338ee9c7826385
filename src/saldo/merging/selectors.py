"""Reads about merged KPJ cards. A merge is known by its postings: the first is keyed
`merge:<old>:<new>`, each later sweep of money that reached the old card afterwards
`merge:<old>:<new>:<last entry id>`."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, Sum

from saldo.ledger.models import Account, Entry, EntryKind, Posting

KEY_PREFIX = "merge:"


def merge_key(*, from_kpj: str, to_kpj: str) -> str:
    return f"{KEY_PREFIX}{from_kpj}:{to_kpj}"


def _pair(key: str) -> tuple[str, str]:
    _prefix, from_kpj, to_kpj, *_sweep = key.split(":")
    return from_kpj, to_kpj


def merged_into(*, kpj: str) -> str | None:
    """The KPJ this card's balance was merged into, or None if it was not merged."""
    key = Posting.objects.filter(key__startswith=f"{KEY_PREFIX}{kpj}:").values_list("key", flat=True).first()
    return _pair(key)[1] if key else None


def merged_into_map(*, kpjs: list[str]) -> dict[str, str]:
    """merged_into for several cards in one query: {old KPJ: new KPJ} for those merged."""
    if not kpjs:
        return {}
    condition = Q()
    for kpj in kpjs:
        condition |= Q(key__startswith=f"{KEY_PREFIX}{kpj}:")
    return dict(_pair(key) for key in Posting.objects.filter(condition).values_list("key", flat=True))


@dataclass(frozen=True)
class MergeRecord:
    from_kpj: str
    to_kpj: str
    merged_at: datetime  # when the first transfer was posted
    moved: dict[str, int]  # programme -> rupiah moved to the new card, all postings of the merge together


def merge_get(*, from_kpj: str, to_kpj: str) -> MergeRecord | None:
    key = merge_key(from_kpj=from_kpj, to_kpj=to_kpj)
    first = Posting.objects.filter(key=key).first()
    if first is None:
        return None
    totals = (
        Entry.objects.filter(
            Q(posting__key=key) | Q(posting__key__startswith=f"{key}:"),
            kind=EntryKind.TRANSFER,
            account__membership__kpj=to_kpj,
        )
        .values("account__programme")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    moved = {"JHT": 0, "JP": 0}
    moved.update({row["account__programme"]: int(row["total"]) for row in totals})
    return MergeRecord(from_kpj, to_kpj, first.created_at, moved)


def merges_with_stray_balance() -> list[tuple[str, str]]:
    """(old, new) for every merged card that has received money since its merge (returns credited
    for the year of the merge, a late month of iuran): what `saldo merge-kpj --sweep` moves on."""
    pairs = {_pair(key) for key in Posting.objects.filter(key__startswith=KEY_PREFIX).values_list("key", flat=True)}
    olds = {old: new for old, new in pairs}
    stray = (
        Account.objects.filter(membership__kpj__in=list(olds))
        .exclude(balance=0)
        .values_list("membership__kpj", flat=True)
        .distinct()
    )
    return sorted((kpj, olds[kpj]) for kpj in stray)
