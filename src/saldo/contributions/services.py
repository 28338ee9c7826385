"""Posting employers' monthly wage reports as iuran: set-based, all-or-nothing, idempotent."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saldo.contributions.models import Contribution
from saldo.contributions.rates import iuran_compute
from saldo.core import bulk
from saldo.core.csvfile import csv_open
from saldo.core.errors import ConfigurationMissing, FieldError, NotFound, SaldoError, ValidationError
from saldo.core.money import format_rupiah
from saldo.core.periods import format_period, month_end, month_start, parse_period
from saldo.ledger.models import Entry, EntryKind, Posting
from saldo.ledger.services import balances_add, entries_reverse
from saldo.registry import validators as v
from saldo.registry.models import Membership

CONTRIBUTION_COLUMNS = ("npp", "period", "kpj", "wage")
STAGE = "stage_iuran"
Progress = Callable[[int], None]
_WAGE = re.compile(r"^[0-9]+\Z")


@dataclass(frozen=True)
class ContributionImportResult:
    rows: int
    posted: int
    already_posted: int
    posting_key: str


def _row_parse(line: int, raw: dict[str, str], *, as_of: date, max_wage: int) -> tuple[tuple | None, list[FieldError]]:
    errors = v.validate_npp(raw["npp"]) + v.validate_kpj(raw["kpj"])
    period = None
    try:
        period = parse_period(raw["period"])
    except ValueError as exc:
        errors.append(FieldError("period", str(exc)))
    if period and period > month_start(as_of):
        errors.append(FieldError("period", _("periode di masa depan")))
    wage = None
    if not _WAGE.match(raw["wage"]):
        errors.append(FieldError("wage", _("upah harus bilangan bulat rupiah tanpa titik, koma atau tanda")))
    else:
        wage = int(raw["wage"])
        if wage <= 0:
            errors.append(FieldError("wage", _("upah harus lebih dari 0")))
        elif wage > max_wage:
            errors.append(FieldError("wage", _("upah melebihi batas wajar %(max)s") % {"max": format_rupiah(max_wage)}))
    iuran = None
    if period and wage and not errors:
        try:
            iuran = iuran_compute(wage=wage, period=period)
        except ConfigurationMissing as exc:
            errors.append(FieldError("period", exc.message))
    if errors:
        return None, [FieldError(e.field, e.message, line) for e in errors]
    return (
        line,
        raw["npp"],
        period,
        month_end(period),
        raw["kpj"],
        wage,
        iuran.jht_employer,
        iuran.jht_worker,
        iuran.jp_employer,
        iuran.jp_worker,
    ), []


_STAGE_COLUMNS = (
    "line",
    "npp",
    "period",
    "value_date",
    "kpj",
    "wage",
    "jht_employer",
    "jht_worker",
    "jp_employer",
    "jp_worker",
)


def contributions_import(
    *, path: str | Path, as_of: date, progress: Progress | None = None
) -> ContributionImportResult:
    """Post a wage report (npp, period, kpj, wage). Raises ValidationError listing every bad row;
    then nothing is posted. Rows already posted with the same wage are skipped."""
    csv_file = csv_open(path, expected=CONTRIBUTION_COLUMNS)
    key = f"iuran-import:{csv_file.sha256}"
    if Posting.objects.filter(key=key).exists():
        count = sum(1 for _, row, _ in csv_file.rows() if row)
        return ContributionImportResult(count, 0, count, key)
    max_wage = settings.SALDO["MAX_MONTHLY_WAGE"]
    rows, errors = [], []
    seen: dict[tuple[str, date], int] = {}
    for line, raw, error in csv_file.rows():
        if error:
            errors.append(error)
            continue
        row, row_errors = _row_parse(line, raw, as_of=as_of, max_wage=max_wage)
        errors += row_errors
        if row:
            first = seen.setdefault((row[4], row[2]), line)
            if first != line:
                errors.append(
                    FieldError("kpj", _("KPJ dan periode sama dengan baris %(line)d") % {"line": first}, line)
                )
            rows.append(row)
    try:
        with transaction.atomic():
            # Well-formed rows are checked against the registry even when others are malformed,
            # so one report lists every bad row; any error rolls the whole file back.
            _stage(rows, progress)
            errors += _registry_errors()
            if errors:
                raise ValidationError(sorted(errors, key=lambda e: (e.line, e.field)))
            posted = _post(key, Path(path).name, progress)
            bulk.temp_table_drop(STAGE)
            bulk.temp_table_drop(f"{STAGE}_r")
    except IntegrityError:
        # Another import posted some of these rows (or this file) between our checks and our
        # inserts; everything here was rolled back, and running it again skips what is posted.
        raise SaldoError(
            _("impor lain untuk iuran yang sama sedang berjalan; tidak ada yang diposting, ulangi impor ini"),
            code="concurrent_import",
        ) from None
    return ContributionImportResult(len(rows), posted, len(rows) - posted, key)


def _stage(rows: list[tuple], progress: Progress | None) -> None:
    bulk.temp_table_create(
        STAGE,
        "line integer, npp varchar(8), period date, value_date date, kpj varchar(11), wage bigint, "
        "jht_employer bigint, jht_worker bigint, jp_employer bigint, jp_worker bigint",
    )
    batch = settings.SALDO["IMPORT_BATCH_ROWS"]
    for i in range(0, len(rows), batch):
        chunk = rows[i : i + batch]
        bulk.rows_copy(STAGE, _STAGE_COLUMNS, chunk)
        if progress:
            progress(len(chunk) // 2)
    # Resolve every row against the registry once; checks and inserts then read this table.
    bulk.temp_table_drop(f"{STAGE}_r")
    bulk.execute(
        f"""CREATE TEMPORARY TABLE {STAGE}_r AS
            SELECT s.*, m.id AS membership_id, m.start_date, m.end_date, e.npp AS member_npp,
                   ja.id AS jht_account, pa.id AS jp_account, c.wage AS posted_wage,
                   (SELECT 1 FROM registry_employer x WHERE x.npp = s.npp) AS npp_known
            FROM {STAGE} s
            LEFT JOIN registry_membership m ON m.kpj = s.kpj
            LEFT JOIN registry_employer e ON e.id = m.employer_id
            LEFT JOIN ledger_account ja ON ja.membership_id = m.id AND ja.programme = 'JHT'
            LEFT JOIN ledger_account pa ON pa.membership_id = m.id AND pa.programme = 'JP'
            LEFT JOIN contributions_contribution c
                   ON c.membership_id = m.id AND c.period = s.period AND c.reversal_id IS NULL"""
    )
    if bulk.is_postgres():
        bulk.execute(f"ANALYZE {STAGE}_r")


def _registry_errors() -> list[FieldError]:
    checks = [
        ("npp", _("NPP tidak terdaftar"), "npp_known IS NULL"),
        ("kpj", _("KPJ tidak terdaftar"), "npp_known IS NOT NULL AND membership_id IS NULL"),
        (
            "npp",
            _("KPJ ini terdaftar pada NPP lain"),
            "npp_known IS NOT NULL AND membership_id IS NOT NULL AND member_npp <> npp",
        ),
        ("period", _("periode sebelum kepesertaan dimulai"), "member_npp = npp AND value_date < start_date"),
        (
            "period",
            _("periode sesudah kepesertaan berakhir"),
            "member_npp = npp AND end_date IS NOT NULL AND period > end_date",
        ),
        (
            "wage",
            _("iuran periode ini sudah diposting dengan upah lain; koreksi dulu dengan saldo reverse-contribution"),
            "posted_wage IS NOT NULL AND posted_wage <> wage",
        ),
    ]
    errors = []
    for field, message, where in checks:
        sql = f"SELECT line FROM {STAGE}_r WHERE {where}"
        errors += [FieldError(field, message, line) for (line,) in bulk.fetch_all(sql)]
    return sorted(errors, key=lambda e: (e.line, e.field))


_LEGS = (
    ("jht_account", "employer", "jht_employer"),
    ("jht_account", "worker", "jht_worker"),
    ("jp_account", "employer", "jp_employer"),
    ("jp_account", "worker", "jp_worker"),
)


def _post(key: str, filename: str, progress: Progress | None) -> int:
    """Insert the new contributions and their four ledger legs under one posting, and add them
    to the balances: one set-based statement each. A file with nothing new posts nothing."""
    (new_rows,) = bulk.fetch_all(f"SELECT COUNT(*) FROM {STAGE}_r WHERE posted_wage IS NULL")[0]
    if not new_rows:
        return 0
    posting_id = int(Posting.objects.create(key=key, description=_("Impor iuran %(file)s") % {"file": filename}).id)
    bulk.tune_for_bulk()
    posted = bulk.execute(
        f"""INSERT INTO contributions_contribution
            (membership_id, period, wage, jht_employer, jht_worker, jp_employer, jp_worker, posting_id)
            SELECT membership_id, period, wage, jht_employer, jht_worker, jp_employer, jp_worker, {posting_id}
            FROM {STAGE}_r WHERE posted_wage IS NULL"""
    )
    if progress:
        progress(new_rows // 4)
    bulk.execute(f"INSERT INTO ledger_entry (posting_id, account_id, kind, amount, value_date) {_legs_sql(posting_id)}")
    if progress:
        progress(new_rows // 4)
    # The deltas come from the staged rows, not from re-reading the entries just written.
    balances_add(
        deltas_sql=f"""SELECT jht_account AS account_id, jht_employer + jht_worker AS amount
                       FROM {STAGE}_r WHERE posted_wage IS NULL
                       UNION ALL
                       SELECT jp_account, jp_employer + jp_worker FROM {STAGE}_r
                       WHERE posted_wage IS NULL AND jp_employer + jp_worker <> 0"""
    )
    return posted


def _legs_sql(posting_id: int) -> str:
    """SELECT of the entry rows: each staged row fans out to its non-zero legs."""
    if bulk.is_postgres():
        # One pass over the staging table instead of four.
        values = ", ".join(f"(r.{account}, '{kind}', r.{amount})" for account, kind, amount in _LEGS)
        return f"""SELECT {posting_id}, leg.account_id, leg.kind, leg.amount, r.value_date
                   FROM {STAGE}_r r CROSS JOIN LATERAL (VALUES {values}) AS leg(account_id, kind, amount)
                   WHERE r.posted_wage IS NULL AND leg.amount <> 0"""
    return " UNION ALL ".join(
        f"""SELECT {posting_id}, {account}, '{kind}', {amount}, value_date FROM {STAGE}_r
            WHERE posted_wage IS NULL AND {amount} <> 0"""
        for account, kind, amount in _LEGS
    )


def contribution_reverse(*, kpj: str, period: date, reason: str) -> Contribution:
    """Reverse one month of iuran (wrong wage, wrong KPJ): its four entries get reversal entries
    and the month is free to be posted again. Running it again for the same row changes nothing."""
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
    entries = Entry.objects.filter(
        posting_id=contribution.posting_id,
        account__membership_id=contribution.membership_id,
        value_date=month_end(period),
        kind__in=[EntryKind.EMPLOYER_CONTRIBUTION, EntryKind.WORKER_CONTRIBUTION],
    ).order_by("id")
    with transaction.atomic():
        reversal = entries_reverse(
            entries=list(entries),
            key=f"iuran-reversal:{contribution.id}",
            description=_("Koreksi iuran %(kpj)s %(period)s: %(reason)s")
            % {"kpj": kpj, "period": format_period(period), "reason": reason.strip()[:100]},
        )
        contribution.reversal = reversal
        contribution.save(update_fields=["reversal"])
    return contribution


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
