"""Posting employers' monthly wage reports as iuran: set-based, all-or-nothing, idempotent."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saldo.contributions import importing
from saldo.contributions.importing import CONTRIBUTION_COLUMNS, Progress
from saldo.contributions.models import Contribution
from saldo.core import bulk
from saldo.core.csvfile import CsvFile, csv_open
from saldo.core.errors import FieldError, NotFound, SaldoError, ValidationError
from saldo.core.money import format_rupiah
from saldo.core.periods import format_period, month_end
from saldo.ledger.models import Account, Entry, EntryKind, Posting
from saldo.ledger.services import entries_reverse
from saldo.registry.models import Membership


@dataclass(frozen=True)
class ContributionImportResult:
    rows: int
    posted: int
    already_posted: int
    posting_key: str


def contributions_import(
    *, path: str | Path, as_of: date, progress: Progress | None = None
) -> ContributionImportResult:
    """Post a wage report (npp, period, kpj, wage). Raises ValidationError listing every bad row;
    then nothing is posted. Rows already posted with the same wage are skipped."""
    csv_file = csv_open(path, expected=CONTRIBUTION_COLUMNS)
    key = f"iuran-import:{csv_file.sha256}"
    plain = importing.plain_report(csv_file) if bulk.is_postgres() else None
    if Posting.objects.filter(key=key).exists():
        count = plain.rows if plain else sum(1 for _, row, _ in csv_file.rows() if row)
        return ContributionImportResult(count, 0, count, key)
    max_wage = settings.SALDO["MAX_MONTHLY_WAGE"]
    description = _("Impor iuran %(file)s") % {"file": Path(path).name}
    try:
        with transaction.atomic():
            bulk.tune_for_bulk()
            result = None
            if plain:
                result = _import_plain(plain, key, description, as_of=as_of, max_wage=max_wage, progress=progress)
            if result is None:
                result = _import_parsed(csv_file, key, description, as_of=as_of, max_wage=max_wage, progress=progress)
            importing.stage_drop()
    except IntegrityError:
        # Another import posted some of these rows (or this file) between our checks and our
        # inserts; everything here was rolled back, and running it again skips what is posted.
        raise SaldoError(
            _("impor lain untuk iuran yang sama sedang berjalan; tidak ada yang diposting, ulangi impor ini"),
            code="concurrent_import",
        ) from None
    return result


def _import_plain(
    plain: importing.PlainReport, key: str, description: str, *, as_of: date, max_wage: int, progress: Progress | None
) -> ContributionImportResult | None:
    """The fast way for a plain report with nothing to refuse; None (all undone) when the
    parsed way must take the report: it is not plain after all, or some row is refused."""
    try:
        with transaction.atomic():
            rows, source = importing.plain_stage(plain, as_of=as_of, max_wage=max_wage, progress=progress)
            importing.stage_resolve(source)
            if importing.registry_errors() or importing.has_duplicates():
                raise importing.NotPlain("refused rows")
    except importing.PLAIN_REFUSED:
        return None
    return _post(rows, key, description, progress)


def _import_parsed(
    csv_file: CsvFile, key: str, description: str, *, as_of: date, max_wage: int, progress: Progress | None
) -> ContributionImportResult:
    rows, errors = importing.rows_parse(csv_file, as_of=as_of, max_wage=max_wage)
    # Well-formed rows are checked against the registry even when others are malformed,
    # so one report lists every bad row; any error rolls the whole file back.
    importing.rows_stage(rows, progress)
    importing.stage_resolve()
    errors += importing.registry_errors()
    if errors:
        raise ValidationError(sorted(errors, key=lambda e: (e.line, e.field)))
    return _post(len(rows), key, description, progress)


def _post(rows: int, key: str, description: str, progress: Progress | None) -> ContributionImportResult:
    """One posting for the whole file; a file with nothing new posts nothing."""
    if not importing.has_new_rows():
        return ContributionImportResult(rows, 0, rows, key)
    posting = Posting.objects.create(key=key, description=description)
    posted = importing.resolved_post(int(posting.id), progress)
    return ContributionImportResult(rows, posted, rows - posted, key)


def contribution_reverse(*, kpj: str, period: date, reason: str) -> Contribution:
    """Reverse one month of iuran (wrong wage, wrong KPJ): its four entries get reversal entries
    and the month is free to be posted again. Running it again for the same row changes nothing.
    Refused (contribution_paid_out) when an account no longer holds what the reversal takes back:
    a claim paid it out, and the fund must recover it at a branch, not drive the balance negative."""
    contribution = (
        Contribution.objects.in_force().select_related("membership").filter(membership__kpj=kpj, period=period).first()
    )
    if contribution is None:
        raise NotFound(
            _("tidak ada iuran KPJ %(kpj)s periode %(period)s yang bisa dikoreksi")
            % {"kpj": kpj, "period": format_period(period)},
            code="contribution_not_found",
        )
    if not reason.strip():
        raise ValidationError([FieldError("reason", _("alasan koreksi wajib diisi"))])
    entries = list(
        Entry.objects.filter(
            posting_id=contribution.posting_id,
            account__membership_id=contribution.membership_id,
            value_date=month_end(period),
            kind__in=[EntryKind.EMPLOYER_CONTRIBUTION, EntryKind.WORKER_CONTRIBUTION],
        ).order_by("id")
    )
    with transaction.atomic():
        # Locked until commit, so no claim pays the balance out between the check and the reversal.
        _check_balances_bear(entries, kpj=kpj, period=period)
        reversal = entries_reverse(
            entries=entries,
            key=f"iuran-reversal:{contribution.id}",
            description=_("Koreksi iuran %(kpj)s %(period)s: %(reason)s")
            % {"kpj": kpj, "period": format_period(period), "reason": reason.strip()[:100]},
        )
        contribution.reversal = reversal
        contribution.save(update_fields=["reversal"])
    return contribution


def _check_balances_bear(entries: list[Entry], *, kpj: str, period: date) -> None:
    """Lock the accounts of `entries` and raise SaldoError when one holds less than its entries
    add up to (a reversal takes exactly that back). Call inside the reversal's transaction."""
    taken: dict[int, int] = defaultdict(int)
    for entry in entries:
        taken[entry.account_id] += entry.amount
    # In id order, as merging locks them, so two writers locking the same accounts cannot deadlock.
    accounts = Account.objects.select_for_update().filter(id__in=taken).order_by("id")
    for account in sorted(accounts, key=lambda a: a.programme):  # JHT before JP in the message
        if account.balance < taken[account.id]:
            raise SaldoError(
                _(
                    "Iuran KPJ %(kpj)s periode %(period)s tidak dapat dikoreksi: saldo %(programme)s KPJ ini "
                    "sudah dicairkan (sisa %(balance)s, koreksi %(amount)s). Tagih kembali lewat kantor cabang."
                )
                % {
                    "kpj": kpj,
                    "period": format_period(period),
                    "programme": account.programme,
                    "balance": format_rupiah(account.balance),
                    "amount": format_rupiah(taken[account.id]),
                },
                code="contribution_paid_out",
            )


def membership_end(*, kpj: str, end_date: date, as_of: date) -> Membership:
    """Record that a KPJ's employment ended (the employer's leaver report).

    The end date may not be in the future, before the start, or before a month whose iuran was
    already received (that iuran would then lie outside the membership)."""
    membership = Membership.objects.filter(kpj=kpj).first()
    if membership is None:
        raise NotFound(_("KPJ %(kpj)s tidak ditemukan") % {"kpj": kpj}, code="kpj_not_found")
    errors = []
    if membership.end_date is not None:
        errors.append(FieldError("kpj", _("kepesertaan ini sudah berakhir")))
    if end_date > as_of:
        errors.append(FieldError("end_date", _("tanggal berakhir di masa depan")))
    if end_date < membership.start_date:
        errors.append(FieldError("end_date", _("tanggal berakhir sebelum tanggal mulai kepesertaan")))
    last_paid = (
        Contribution.objects.in_force()
        .filter(membership=membership, period__gt=end_date)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if last_paid is not None:
        errors.append(
            FieldError(
                "end_date",
                _("sudah ada iuran untuk periode %(period)s, sesudah tanggal berakhir")
                % {"period": format_period(last_paid)},
            )
        )
    if errors:
        raise ValidationError(errors)
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    return membership
