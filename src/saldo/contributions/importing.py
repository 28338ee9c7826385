"""How a wage report becomes staged rows and set-based statements (for contributions_import).

A report is staged one of two ways, both giving rows with the columns of the table STAGE:

- parsed: Python reads every row (csv module, the registry's validators, iuran_compute) and
  reports every malformed row by line and column. It handles any file csv_open accepts.
- plain (PostgreSQL): a report whose lines are nothing but `npp,YYYY-MM,kpj,wage` in digits goes
  to the server as it is (COPY), and the server computes the iuran. Python only checks what
  takes no per-row work: the header, the characters used, no blank lines, and each distinct
  period. It is a shortcut for the common case, never a second set of rules: it stages a
  report only when the parsed way would have found no error in it, with the same values, and
  otherwise steps aside (`NotPlain`) so the parsed way reports the errors.

The staged rows are then resolved against the registry once (RESOLVED), checked in one pass,
and posted: the contributions, their four ledger legs and the balances, one statement each.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import psycopg
from django.conf import settings
from django.db import DataError, connection
from django.utils.translation import gettext as _

from saldo.contributions.rates import RateSet, iuran_compute, rates_for
from saldo.core import bulk
from saldo.core.csvfile import CsvFile
from saldo.core.errors import ConfigurationMissing, FieldError
from saldo.core.money import format_rupiah
from saldo.core.periods import month_end, month_start, parse_period
from saldo.ledger.services import balances_add_per_membership
from saldo.registry import validators as v

CONTRIBUTION_COLUMNS = ("npp", "period", "kpj", "wage")
STAGE = "stage_iuran"
RAW = "stage_iuran_raw"
RESOLVED = "stage_iuran_r"
Progress = Callable[[int], None]
_WAGE = re.compile(r"^[0-9]+\Z")
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
_STAGE_COLUMNS_SQL = (
    "line integer, npp varchar(8), period date, value_date date, kpj varchar(11), wage bigint, "
    "jht_employer bigint, jht_worker bigint, jp_employer bigint, jp_worker bigint"
)


class NotPlain(Exception):
    """The report is not one the plain way may stage; the parsed way takes it."""


# What makes the plain way step aside: its own checks, and COPY refusing a value (an NPP longer
# than 8 characters, a wage that is no integer, a line with another number of fields).
PLAIN_REFUSED = (NotPlain, DataError, psycopg.DataError)


# --- parsed: every row through Python ---------------------------------------------------------


def rows_parse(csv_file: CsvFile, *, as_of: date, max_wage: int) -> tuple[list[tuple], list[FieldError]]:
    """Every well-formed row as a staging tuple, and every malformed row's errors."""
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
    return rows, errors


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


def rows_stage(rows: list[tuple], progress: Progress | None) -> None:
    bulk.temp_table_create(STAGE, _STAGE_COLUMNS_SQL)
    batch = settings.SALDO["IMPORT_BATCH_ROWS"]
    for i in range(0, len(rows), batch):
        chunk = rows[i : i + batch]
        bulk.rows_copy(STAGE, _STAGE_COLUMNS, chunk)
        if progress:
            progress(len(chunk) // 2)
    _analyze(STAGE)


def _analyze(table: str) -> None:
    # Without statistics the planner takes a freshly loaded table for a few thousand rows and
    # resolves a million of them by index lookups, one row at a time.
    if bulk.is_postgres():
        bulk.execute(f"ANALYZE {table}")


# --- plain: the file as it is, checked and computed by the server ----------------------------

_HEADER = ",".join(CONTRIBUTION_COLUMNS)
_PLAIN_BYTES = b"0123456789,-\r\n"
_BASIS_POINTS_MAX = 10_000
_BIGINT_MAX = 2**63 - 1
_COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class PlainReport:
    body: bytes  # the lines after the header, exactly as in the file
    eol: bytes

    @property
    def rows(self) -> int:
        lines = self.body.count(self.eol)
        return lines + (1 if self.body and not self.body.endswith(self.eol) else 0)


def plain_report(csv_file: CsvFile) -> PlainReport | None:
    """The report's data lines, if they can only be `npp,period,kpj,wage` lines of digits.

    The exact header, one line ending throughout (\\n or \\r\\n), no blank line, nothing but
    digits, commas and hyphens: then every line is one CSV record with no quoting and no
    spaces, numbered as the csv module numbers it, and each field is what COPY reads."""
    text = csv_file.text
    for eol in ("\n", "\r\n"):
        if text.startswith(_HEADER + eol):
            break
    else:
        return None
    body = text[len(_HEADER) + len(eol) :].encode()
    eol_bytes = eol.encode()
    if body.translate(None, _PLAIN_BYTES):
        return None
    if body.startswith(eol_bytes) or eol_bytes * 2 in body:
        return None
    lone_cr = body.count(b"\r") != (body.count(b"\r\n") if eol == "\r\n" else 0)
    lone_lf = eol == "\r\n" and body.count(b"\n") != body.count(b"\r\n")
    if lone_cr or lone_lf:
        return None
    return PlainReport(body, eol_bytes)


def plain_stage(report: PlainReport, *, as_of: date, max_wage: int, progress: Progress | None) -> tuple[int, str]:
    """COPY the report's lines; return their count and a SELECT of them with STAGE's columns. Raises NotPlain
    when some row would be refused by the parsed way (then the caller rolls this back).

    A value COPY cannot store (an NPP longer than 8, a wage that is not an integer) makes
    COPY fail, which the caller also treats as NotPlain."""
    bulk.temp_table_drop(RAW)
    bulk.execute(
        f"""CREATE TEMPORARY TABLE {RAW} (line integer GENERATED ALWAYS AS IDENTITY (START WITH 2),
            npp varchar(8), period varchar(7), kpj varchar(11), wage bigint)"""
    )
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {RAW} (npp, period, kpj, wage) FROM STDIN (FORMAT csv)") as copy:
            view = memoryview(report.body)
            for start in range(0, len(view), _COPY_CHUNK):
                copy.write(view[start : start + _COPY_CHUNK])
        copied = cursor.rowcount
    _analyze(RAW)
    if progress:
        progress(copied // 2)
    rates = _plain_rates(as_of=as_of, max_wage=max_wage)
    values = ", ".join(
        f"('{text}', DATE '{period}', DATE '{month_end(period)}', {r.jht_employer_bp}, {r.jht_worker_bp}, "
        f"{r.jp_employer_bp}, {r.jp_worker_bp}, {r.jp_wage_cap or 0})"
        for text, (period, r) in rates.items()
    )
    if not values:
        values = "(NULL::text, NULL::date, NULL::date, 0, 0, 0, 0, 0)"  # an empty report: no period to join
    # iuran exactly as core.money.share: non-negative operands, so adding half the divisor
    # before the integer division rounds half up. A JP cap of 0 (JP not in force) gives 0.
    share = "(({base}) * p.{bp} + 5000) / 10000"
    jp_base = "LEAST(r.wage, p.cap)"
    return (
        copied,
        f"""SELECT r.line, r.npp, p.period, p.value_date, r.kpj, r.wage,
                   {share.format(base="r.wage", bp="jht_e")} AS jht_employer,
                   {share.format(base="r.wage", bp="jht_w")} AS jht_worker,
                   {share.format(base=jp_base, bp="jp_e")} AS jp_employer,
                   {share.format(base=jp_base, bp="jp_w")} AS jp_worker
            FROM {RAW} r
            JOIN (VALUES {values}) AS p (text, period, value_date, jht_e, jht_w, jp_e, jp_w, cap)
              ON p.text = r.period""",
    )


def _plain_rates(*, as_of: date, max_wage: int) -> dict[str, tuple[date, RateSet]]:
    """Each distinct period's rates, after checking in one pass that the parsed way would accept
    every row: NPP and KPJ of the right length without hyphens, a wage within bounds, a
    period that parses, is not in the future and has rates. Raises NotPlain otherwise."""
    summary = bulk.fetch_all(
        f"""SELECT period, MIN(wage), MAX(wage),
                   COUNT(*) FILTER (WHERE NOT COALESCE(length(npp) = 8 AND length(kpj) = 11
                        AND strpos(npp, '-') = 0 AND strpos(kpj, '-') = 0 AND wage IS NOT NULL, false))
            FROM {RAW} GROUP BY period"""
    )
    if max_wage * _BASIS_POINTS_MAX + _BASIS_POINTS_MAX > _BIGINT_MAX:
        raise NotPlain("iuran could overflow bigint")
    rates = {}
    for text, low, high, malformed in summary:
        if malformed or text is None or low < 1 or high > max_wage:
            raise NotPlain(text)
        try:
            period = parse_period(text)
            rate_set = rates_for(period)
        except (ValueError, ConfigurationMissing):
            raise NotPlain(text) from None
        if period > month_start(as_of):
            raise NotPlain(text)
        rates_bp = (rate_set.jht_employer_bp, rate_set.jht_worker_bp, rate_set.jp_employer_bp, rate_set.jp_worker_bp)
        if not all(0 <= bp <= _BASIS_POINTS_MAX for bp in rates_bp):
            raise NotPlain(text)  # the SQL rounding below assumes non-negative operands
        rates[text] = (period, rate_set)
    return rates


# --- both: resolve, check, post ---------------------------------------------------------------


def stage_resolve(source: str = STAGE) -> None:
    """Resolve every staged row (STAGE, or a SELECT with its columns) against the registry once;
    checks and inserts then read RESOLVED.

    Sorted by membership, so the inserts below reach the indexes of contributions and entries
    (and the accounts) in key order rather than the file's employer-by-employer order.
    One window over each membership's rows in that order gives, in the same pass, `repeated`
    (the row before has the same period: a duplicate) and the membership's new iuran per
    programme, which the balance update reads from its first row (`membership_row` 1) without
    grouping a million rows again. (ROW_NUMBER and LAG ignore the window's frame; SUM uses it.)"""
    bulk.temp_table_drop(RESOLVED)
    new_jht = "CASE WHEN c.wage IS NULL THEN s.jht_employer + s.jht_worker ELSE 0 END"
    new_jp = "CASE WHEN c.wage IS NULL THEN s.jp_employer + s.jp_worker ELSE 0 END"
    bulk.execute(
        f"""CREATE TEMPORARY TABLE {RESOLVED} AS
            SELECT s.line, s.period, s.value_date, s.wage,
                   s.jht_employer, s.jht_worker, s.jp_employer, s.jp_worker,
                   x.id AS employer_id, m.id AS membership_id, m.employer_id AS member_employer_id,
                   m.start_date, m.end_date, ja.id AS jht_account, pa.id AS jp_account, c.wage AS posted_wage,
                   ROW_NUMBER() OVER w AS membership_row,
                   CASE WHEN LAG(s.period) OVER w = s.period THEN 1 ELSE 0 END AS repeated,
                   CAST(SUM({new_jht}) OVER w AS bigint) AS membership_jht,
                   CAST(SUM({new_jp}) OVER w AS bigint) AS membership_jp
            FROM {source if source == STAGE else f"({source})"} s
            LEFT JOIN registry_employer x ON x.npp = s.npp
            LEFT JOIN registry_membership m ON m.kpj = s.kpj
            LEFT JOIN ledger_account ja ON ja.membership_id = m.id AND ja.programme = 'JHT'
            LEFT JOIN ledger_account pa ON pa.membership_id = m.id AND pa.programme = 'JP'
            LEFT JOIN contributions_contribution c
                   ON c.membership_id = m.id AND c.period = s.period AND c.reversal_id IS NULL
            WINDOW w AS (PARTITION BY m.id ORDER BY s.period, s.line
                         ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
            ORDER BY m.id, s.period, s.line"""
    )
    _analyze(RESOLVED)


def _registry_checks() -> list[tuple[str, str, str]]:
    """(column, message, condition on a resolved row)."""
    # employer_id: the employer with the row's NPP; member_employer_id: the KPJ's employer.
    return [
        ("npp", _("NPP tidak terdaftar"), "employer_id IS NULL"),
        ("kpj", _("KPJ tidak terdaftar"), "employer_id IS NOT NULL AND membership_id IS NULL"),
        (
            "npp",
            _("KPJ ini terdaftar pada NPP lain"),
            "employer_id IS NOT NULL AND membership_id IS NOT NULL AND member_employer_id <> employer_id",
        ),
        (
            "period",
            _("periode sebelum kepesertaan dimulai"),
            "member_employer_id = employer_id AND value_date < start_date",
        ),
        (
            "period",
            _("periode sesudah kepesertaan berakhir"),
            "member_employer_id = employer_id AND end_date IS NOT NULL AND period > end_date",
        ),
        (
            "wage",
            _("iuran periode ini sudah diposting dengan upah lain; koreksi dulu dengan saldo reverse-contribution"),
            "posted_wage IS NOT NULL AND posted_wage <> wage",
        ),
    ]


def registry_errors() -> list[FieldError]:
    """Every registry check in one pass over the resolved rows: a flag per check."""
    checks = _registry_checks()
    flags = ", ".join(f"CASE WHEN {where} THEN 1 ELSE 0 END" for _field, _message, where in checks)
    any_hit = " OR ".join(f"({where})" for _field, _message, where in checks)
    errors = []
    for line, *hits in bulk.fetch_all(f"SELECT line, {flags} FROM {RESOLVED} WHERE {any_hit}"):
        errors += [
            FieldError(field, message, line) for (field, message, _w), hit in zip(checks, hits, strict=True) if hit
        ]
    return sorted(errors, key=lambda e: (e.line, e.field))


def has_duplicates() -> bool:
    """Whether a registered KPJ appears twice for one period (the parsed way reports which)."""
    sql = f"SELECT EXISTS (SELECT 1 FROM {RESOLVED} WHERE membership_id IS NOT NULL AND repeated = 1)"
    return bool(bulk.fetch_all(sql)[0][0])


def has_new_rows() -> bool:
    return bool(bulk.fetch_all(f"SELECT EXISTS (SELECT 1 FROM {RESOLVED} WHERE posted_wage IS NULL)")[0][0])


_LEGS = (
    ("jht_account", "employer", "jht_employer"),
    ("jht_account", "worker", "jht_worker"),
    ("jp_account", "employer", "jp_employer"),
    ("jp_account", "worker", "jp_worker"),
)


def resolved_post(posting_id: int, progress: Progress | None) -> int:
    """Insert the new contributions and their four ledger legs under the posting, and add them
    to the balances: one set-based statement each. Returns the contributions inserted."""
    posted = bulk.execute(
        f"""INSERT INTO contributions_contribution
            (membership_id, period, wage, jht_employer, jht_worker, jp_employer, jp_worker, posting_id)
            SELECT membership_id, period, wage, jht_employer, jht_worker, jp_employer, jp_worker, {posting_id}
            FROM {RESOLVED} WHERE posted_wage IS NULL"""
    )
    if progress:
        progress(posted // 4)
    bulk.execute(f"INSERT INTO ledger_entry (posting_id, account_id, kind, amount, value_date) {_legs_sql(posting_id)}")
    if progress:
        progress(posted // 4)
    # The deltas come from the staged rows, not from re-reading the entries just written.
    balances_add_per_membership(
        deltas_sql=f"""SELECT membership_id, membership_jht AS jht, membership_jp AS jp
                       FROM {RESOLVED} WHERE membership_row = 1""",
        one_row_per_membership=True,
    )
    return posted


def _legs_sql(posting_id: int) -> str:
    """SELECT of the entry rows: each resolved row fans out to its non-zero legs."""
    if bulk.is_postgres():
        # One pass over the staging table instead of four.
        values = ", ".join(f"(r.{account}, '{kind}', r.{amount})" for account, kind, amount in _LEGS)
        return f"""SELECT {posting_id}, leg.account_id, leg.kind, leg.amount, r.value_date
                   FROM {RESOLVED} r CROSS JOIN LATERAL (VALUES {values}) AS leg(account_id, kind, amount)
                   WHERE r.posted_wage IS NULL AND leg.amount <> 0"""
    return " UNION ALL ".join(
        f"""SELECT {posting_id}, {account}, '{kind}', {amount}, value_date FROM {RESOLVED}
            WHERE posted_wage IS NULL AND {amount} <> 0"""
        for account, kind, amount in _LEGS
    )


def stage_drop() -> None:
    for table in (RESOLVED, STAGE, RAW):
        bulk.temp_table_drop(table)
