"""Merging a person's older KPJ into their newer one (*penggabungan saldo*).

The old card's JHT and JP balances move to the new card's accounts by pairs of transfer entries
(minus on the old account, plus on the new) in one posting keyed `merge:<old>:<new>`, and the old
card is closed (it gets an end date, so it is non-aktif from then on). Nothing is lost or counted
twice: each pair sums to zero, and the old accounts end at zero.

Money that reaches the old card after the merge (the merge year's returns, credited in January
to every account that held money during the year; a month of iuran the old employer reports
late) is moved by running the merge again: it posts a sweep keyed
`merge:<old>:<new>:<last entry id>`. Running it when nothing new arrived changes nothing.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from saldo.claims.selectors import open_claim_of
from saldo.contributions.selectors import Status, membership_status
from saldo.contributions.services import membership_end
from saldo.core.errors import FieldError, NotFound, SaldoError, ValidationError
from saldo.ledger.models import Account, Entry, EntryKind
from saldo.ledger.services import Line, accounts_open, posting_create
from saldo.merging.selectors import MergeRecord, merge_get, merge_key, merged_into, merges_with_stray_balance
from saldo.registry.models import Membership


class MergeRefused(SaldoError):
    """A merge the rules do not allow; `code` says which rule."""

    code = "merge_refused"


@dataclass(frozen=True)
class MergeResult:
    record: MergeRecord
    moved_now: dict[str, int]  # what this call moved (zero when the merge had been done and nothing new came)
    created: bool  # True when this call made the merge (False: done before, perhaps swept now)


def kpj_merge(*, from_kpj: str, to_kpj: str, now: datetime, person_id: int | None = None) -> MergeResult:
    """Merge card `from_kpj` into `to_kpj`, both the same person's; idempotent.

    `person_id` (the member asking) makes a card of anyone else look like an unknown one:
    NotFound either way. Raises ValidationError (same card twice), MergeRefused (wrong
    direction, old card still aktif or merged elsewhere, new card ended or merged away, a claim
    in progress on either card, nothing to move)."""
    today = timezone.localdate(now)
    old, new = _memberships(from_kpj=from_kpj, to_kpj=to_kpj, person_id=person_id)
    with transaction.atomic():
        # Lock both cards' accounts: a posting racing this one cannot slip between the balance
        # read and the transfer.
        accounts_open(membership=new)
        list(Account.objects.select_for_update().filter(membership__in=[old, new]).order_by("id"))
        done_before = merge_get(from_kpj=old.kpj, to_kpj=new.kpj)
        _check_no_claim_open(old=old, new=new)
        if done_before is None:
            _check_rules(old=old, new=new, today=today)
        lines = _transfer_lines(old=old, new=new, today=today)
        if done_before is None and not lines:
            raise MergeRefused(
                _("KPJ %(kpj)s tidak punya saldo untuk dipindahkan.") % {"kpj": old.kpj}, code="merge_nothing_to_move"
            )
        if lines:
            key = merge_key(from_kpj=old.kpj, to_kpj=new.kpj)
            if done_before is not None:
                key = f"{key}:{_last_entry_id(old)}"
            posting_create(
                key=key,
                lines=lines,
                description=_("Penggabungan saldo KPJ %(old)s ke KPJ %(new)s") % {"old": old.kpj, "new": new.kpj},
            )
        if old.end_date is None:
            membership_end(kpj=old.kpj, end_date=today, as_of=today)
    moved_now = defaultdict(int)
    accounts = {a.id: a.programme for a in Account.objects.filter(membership=new)}
    for line in lines:
        if line.account_id in accounts:
            moved_now[accounts[line.account_id]] += line.amount
    return MergeResult(
        record=merge_get(from_kpj=old.kpj, to_kpj=new.kpj),
        moved_now={"JHT": moved_now["JHT"], "JP": moved_now["JP"]},
        created=done_before is None,
    )


def _memberships(*, from_kpj: str, to_kpj: str, person_id: int | None) -> tuple[Membership, Membership]:
    if from_kpj == to_kpj:
        raise ValidationError([FieldError("to_kpj", _("KPJ tujuan harus berbeda dari KPJ asal"))])
    found = Membership.objects.select_related("person").filter(kpj__in=[from_kpj, to_kpj])
    if person_id is not None:
        found = found.filter(person_id=person_id)
    cards = {m.kpj: m for m in found}
    for kpj in (from_kpj, to_kpj):
        if kpj not in cards:
            raise NotFound(_("KPJ %(kpj)s tidak ditemukan") % {"kpj": kpj}, code="kpj_not_found")
    old, new = cards[from_kpj], cards[to_kpj]
    if old.person_id != new.person_id:
        raise MergeRefused(
            _("KPJ %(old)s dan %(new)s bukan milik orang yang sama.") % {"old": old.kpj, "new": new.kpj},
            code="merge_not_same_person",
        )
    return old, new


def _check_rules(*, old: Membership, new: Membership, today: date) -> None:
    elsewhere = merged_into(kpj=old.kpj)
    if elsewhere is not None:
        raise MergeRefused(
            _("KPJ %(old)s sudah digabungkan ke KPJ %(new)s.") % {"old": old.kpj, "new": elsewhere},
            code="merge_already_merged",
        )
    if merged_into(kpj=new.kpj) is not None:
        raise MergeRefused(
            _("KPJ %(new)s sudah digabungkan ke KPJ lain; pilih KPJ yang masih dipakai.") % {"new": new.kpj},
            code="merge_target_closed",
        )
    if old.start_date > new.start_date:
        raise MergeRefused(
            _("KPJ %(old)s lebih baru dari KPJ %(new)s; saldo dipindahkan dari KPJ lama ke KPJ baru.")
            % {"old": old.kpj, "new": new.kpj},
            code="merge_wrong_direction",
        )
    if new.end_date is not None and new.end_date <= today:
        raise MergeRefused(
            _("KPJ %(new)s sudah berakhir; saldo hanya bisa digabungkan ke KPJ yang masih berjalan.")
            % {"new": new.kpj},
            code="merge_target_ended",
        )
    if membership_status(membership=old, as_of=today) == Status.ACTIVE:
        raise MergeRefused(
            _(
                "KPJ %(old)s masih aktif (iuran masih diterima dari pemberi kerjanya); "
                "saldo hanya bisa digabungkan dari KPJ yang sudah tidak aktif."
            )
            % {"old": old.kpj},
            code="merge_source_active",
        )


def _check_no_claim_open(*, old: Membership, new: Membership) -> None:
    # A claim is paid from its card's balance as it stands on the day of payment: moving money out
    # of (or into) a card under claim would change what staff approved.
    claim = open_claim_of(memberships=[old, new])
    if claim is not None:
        raise MergeRefused(
            _("KPJ %(kpj)s sedang dalam proses klaim %(number)s; saldo dapat digabungkan setelah klaim selesai.")
            % {"kpj": claim.membership.kpj, "number": claim.number},
            code="merge_claim_open",
        )


def _transfer_lines(*, old: Membership, new: Membership, today: date) -> list[Line]:
    """Pairs of transfer lines emptying the old card's accounts into the new card's.

    What counts by `today` moves with value date `today`; an entry valued later (this month's
    iuran counts from the month's last day) moves on its own value date, so no balance as of any
    date is negative or counted on both cards."""
    targets = {a.programme: a.id for a in Account.objects.filter(membership=new)}
    lines = []
    for account in Account.objects.filter(membership=old).order_by("programme"):
        by_date: dict[date, int] = defaultdict(int)
        for row in Entry.objects.filter(account=account).values("value_date").annotate(total=Sum("amount")).order_by():
            by_date[max(row["value_date"], today)] += int(row["total"])
        for value_date, amount in sorted(by_date.items()):
            if amount:
                lines.append(Line(account.id, EntryKind.TRANSFER, -amount, value_date))
                lines.append(Line(targets[account.programme], EntryKind.TRANSFER, amount, value_date))
    return lines


def _last_entry_id(old: Membership) -> int:
    return Entry.objects.filter(account__membership=old).aggregate(last=Max("id"))["last"] or 0


def merges_sweep(*, now: datetime) -> list[MergeResult]:
    """Move money that reached merged cards after their merge (run after `credit-returns` and
    iuran imports). Repeats for chains (A merged into B, B into C) until nothing is left."""
    results: list[MergeResult] = []
    for _round in range(10):  # a chain longer than this would be a data error, not a loop to spin on
        pairs = merges_with_stray_balance()
        if not pairs:
            break
        results += [kpj_merge(from_kpj=old, to_kpj=new, now=now) for old, new in pairs]
    return results
