"""Writes to the registry: the member import (set-based; all-or-nothing; re-import is a no-op)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from saldo.core import bulk
from saldo.core.csvfile import csv_open, parse_date
from saldo.core.errors import FieldError, ValidationError
from saldo.core.periods import add_years
from saldo.registry import validators as v

MEMBER_COLUMNS = (
    "kpj",
    "nik",
    "name",
    "birth_date",
    "sex",
    "mother_maiden_name",
    "phone",
    "email",
    "npp",
    "employer_name",
    "start_date",
)
MIN_WORKING_AGE = 15
STAGE = "stage_members"
Progress = Callable[[int], None]


@dataclass(frozen=True)
class MemberImportResult:
    rows: int
    employers_created: int
    persons_created: int
    memberships_created: int


@dataclass(frozen=True)
class _MemberRow:
    line: int
    kpj: str
    nik: str
    name: str
    birth_date: date
    sex: str
    mother_maiden_name: str
    phone: str
    email: str
    npp: str
    employer_name: str
    start_date: date


def member_row_parse(line: int, raw: dict[str, str], *, as_of: date) -> tuple[_MemberRow | None, list[FieldError]]:
    """Check one CSV row on its own; return the clean row or every error in it."""
    errors: list[FieldError] = []
    errors += v.validate_kpj(raw["kpj"])
    errors += v.validate_npp(raw["npp"])
    errors += v.validate_name(raw["name"])
    errors += v.validate_name(raw["mother_maiden_name"], field="mother_maiden_name")
    if not raw["employer_name"]:
        errors.append(FieldError("employer_name", _("nama pemberi kerja wajib diisi")))
    sex = v.normalize_sex(raw["sex"])
    if sex is None:
        errors.append(FieldError("sex", _("jenis kelamin harus L/P (atau M/F)")))
    dates: dict[str, date] = {}
    for column in ("birth_date", "start_date"):
        try:
            dates[column] = parse_date(raw[column])
        except ValueError as exc:
            errors.append(FieldError(column, str(exc)))
    birth, start = dates.get("birth_date"), dates.get("start_date")
    if birth and birth > as_of:
        errors.append(FieldError("birth_date", _("tanggal lahir di masa depan")))
    if start and start > as_of:
        errors.append(FieldError("start_date", _("tanggal mulai kepesertaan di masa depan")))
    if birth and start and start < add_years(birth, MIN_WORKING_AGE):
        errors.append(
            FieldError("start_date", _("peserta belum berusia %(age)d tahun saat mulai") % {"age": MIN_WORKING_AGE})
        )
    errors += v.validate_nik(raw["nik"], birth_date=birth, sex=sex)
    phone = ""
    if raw["phone"]:
        phone = v.normalize_phone(raw["phone"]) or ""
        if not phone:
            errors += v.validate_phone(raw["phone"])
    if raw["email"]:
        errors += v.validate_email(raw["email"])
    if errors:
        return None, [FieldError(e.field, e.message, line) for e in errors]
    return _MemberRow(
        line=line,
        kpj=raw["kpj"],
        nik=raw["nik"],
        name=v.normalize_name(raw["name"]),
        birth_date=birth,
        sex=sex,
        mother_maiden_name=v.normalize_name(raw["mother_maiden_name"]),
        phone=phone,
        email=raw["email"].lower(),
        npp=raw["npp"],
        employer_name=v.normalize_name(raw["employer_name"]),
        start_date=start,
    ), []


def _in_file_conflicts(rows: list[_MemberRow]) -> list[FieldError]:
    errors = []
    kpj_first: dict[str, int] = {}
    person_first: dict[str, _MemberRow] = {}
    employer_first: dict[str, _MemberRow] = {}
    for row in rows:
        if row.kpj in kpj_first:
            errors.append(
                FieldError("kpj", _("KPJ ganda; sudah ada di baris %(line)d") % {"line": kpj_first[row.kpj]}, row.line)
            )
            continue
        kpj_first[row.kpj] = row.line
        first = person_first.setdefault(row.nik, row)
        personal = ("name", "birth_date", "sex", "mother_maiden_name", "phone", "email")
        if any(getattr(first, f) != getattr(row, f) for f in personal):
            errors.append(
                FieldError(
                    "nik",
                    _("NIK sama dengan baris %(line)d tetapi data pribadi berbeda") % {"line": first.line},
                    row.line,
                )
            )
        employer = employer_first.setdefault(row.npp, row)
        if employer.employer_name != row.employer_name:
            errors.append(
                FieldError(
                    "employer_name",
                    _("NPP sama dengan baris %(line)d tetapi nama berbeda") % {"line": employer.line},
                    row.line,
                )
            )
    return errors


def members_import(
    *, path: str | Path, as_of: date, now: datetime, progress: Progress | None = None
) -> MemberImportResult:
    """Import members, employers and KPJ cards from CSV; raise ValidationError listing every bad row."""
    csv_file = csv_open(path, expected=MEMBER_COLUMNS)
    rows: list[_MemberRow] = []
    errors: list[FieldError] = []
    for line, raw, error in csv_file.rows():
        if error:
            errors.append(error)
            continue
        row, row_errors = member_row_parse(line, raw, as_of=as_of)
        errors += row_errors
        if row:
            rows.append(row)
    errors += _in_file_conflicts(rows)
    with transaction.atomic():
        # Well-formed rows are checked against the registry even when others are malformed,
        # so one report lists every bad row; any error rolls the whole file back.
        _stage(rows, progress)
        errors += _registry_conflicts()
        if errors:
            raise ValidationError(sorted(errors, key=lambda e: e.line))
        result = _insert_new(now, total=len(rows))
        bulk.temp_table_drop(STAGE)
    return result


def _stage(rows: list[_MemberRow], progress: Progress | None) -> None:
    bulk.temp_table_create(
        STAGE,
        "line integer, kpj varchar(11), nik varchar(16), name varchar(100), birth_date date, "
        "sex varchar(1), mother_maiden_name varchar(100), phone varchar(16), email varchar(254), "
        "npp varchar(8), employer_name varchar(200), start_date date",
    )
    columns = ("line", *MEMBER_COLUMNS)
    batch = settings.SALDO["IMPORT_BATCH_ROWS"]
    for i in range(0, len(rows), batch):
        chunk = rows[i : i + batch]
        bulk.rows_copy(STAGE, columns, ([getattr(r, c) for c in columns] for r in chunk))
        if progress:
            progress(len(chunk))
    if bulk.is_postgres():
        bulk.execute(f"ANALYZE {STAGE}")


def _registry_conflicts() -> list[FieldError]:
    """Rows that contradict what the registry already holds (a re-import of the same data is fine)."""
    checks = [
        (
            "employer_name",
            _("NPP sudah terdaftar dengan nama pemberi kerja lain"),
            f"""SELECT s.line FROM {STAGE} s JOIN registry_employer e ON e.npp = s.npp
                WHERE UPPER(e.name) <> s.employer_name""",
        ),
        (
            "nik",
            _("NIK sudah terdaftar dengan data pribadi lain"),
            f"""SELECT s.line FROM {STAGE} s JOIN registry_person p ON p.nik = s.nik
             WHERE p.name <> s.name OR p.birth_date <> s.birth_date OR p.sex <> s.sex
                OR p.mother_maiden_name <> s.mother_maiden_name OR p.phone <> s.phone OR p.email <> s.email""",
        ),
        (
            "kpj",
            _("KPJ sudah terdaftar untuk orang, pemberi kerja atau tanggal mulai lain"),
            f"""SELECT s.line FROM {STAGE} s JOIN registry_membership m ON m.kpj = s.kpj
             JOIN registry_person p ON p.id = m.person_id JOIN registry_employer e ON e.id = m.employer_id
             WHERE p.nik <> s.nik OR e.npp <> s.npp OR m.start_date <> s.start_date""",
        ),
    ]
    errors = []
    for field, message, sql in checks:
        errors += [FieldError(field, message, line) for (line,) in bulk.fetch_all(sql)]
    return sorted(errors, key=lambda e: e.line)


def _insert_new(now: datetime, *, total: int) -> MemberImportResult:
    employers = bulk.execute(
        f"""INSERT INTO registry_employer (npp, name)
            SELECT s.npp, MIN(s.employer_name) FROM {STAGE} s
            WHERE NOT EXISTS (SELECT 1 FROM registry_employer e WHERE e.npp = s.npp)
            GROUP BY s.npp"""
    )
    persons = bulk.execute(
        f"""INSERT INTO registry_person (nik, name, birth_date, sex, mother_maiden_name, phone, email, created_at)
            SELECT s.nik, MIN(s.name), MIN(s.birth_date), MIN(s.sex), MIN(s.mother_maiden_name),
                   MIN(s.phone), MIN(s.email), %s
            FROM {STAGE} s
            WHERE NOT EXISTS (SELECT 1 FROM registry_person p WHERE p.nik = s.nik)
            GROUP BY s.nik""",
        [now],
    )
    bulk.execute(
        f"CREATE TEMPORARY TABLE {STAGE}_new AS SELECT s.kpj FROM {STAGE} s "
        "WHERE NOT EXISTS (SELECT 1 FROM registry_membership m WHERE m.kpj = s.kpj)"
    )
    memberships = bulk.execute(
        f"""INSERT INTO registry_membership (kpj, person_id, employer_id, start_date, end_date)
            SELECT s.kpj, p.id, e.id, s.start_date, NULL
            FROM {STAGE} s JOIN {STAGE}_new n ON n.kpj = s.kpj
            JOIN registry_person p ON p.nik = s.nik JOIN registry_employer e ON e.npp = s.npp"""
    )
    bulk.execute(
        f"""INSERT INTO ledger_account (membership_id, programme, balance)
            SELECT m.id, prog.programme, 0
            FROM {STAGE}_new n JOIN registry_membership m ON m.kpj = n.kpj
            CROSS JOIN (SELECT 'JHT' AS programme UNION ALL SELECT 'JP') prog"""
    )
    bulk.temp_table_drop(f"{STAGE}_new")
    return MemberImportResult(total, employers, persons, memberships)
