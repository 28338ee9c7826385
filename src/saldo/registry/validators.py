"""Identifier rules from domain.md §1. Each validator returns a list of FieldErrors (empty = valid)
or, for normalisers, the canonical form; none raises on bad input.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email as django_validate_email
from django.utils.translation import gettext as _

from saldo.core.errors import FieldError

# Two-digit province codes in use (Kemendagri); the first two digits of every NIK.
PROVINCE_CODES = frozenset(
    [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53]
    + [61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96]
)
FEMALE_DAY_OFFSET = 40
SEXES = {"L": "M", "M": "M", "LAKI-LAKI": "M", "P": "F", "F": "F", "W": "F", "PEREMPUAN": "F"}

# [0-9] and \Z: `\d` also matches Arabic-Indic or fullwidth digits, `$` accepts a trailing newline.
_DIGITS = re.compile(r"^[0-9]+\Z")
_NAME = re.compile(r"^[A-Za-z][A-Za-z .,'\-]*\Z")


def nik_birth_date(nik: str, *, century: int) -> date | None:
    """The birth date a NIK encodes, in the given century (1900 or 2000); None if impossible."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
    try:
        return date(century + year, month, day)
    except ValueError:
        return None


def nik_sex(nik: str) -> str:
    return "F" if int(nik[6:8]) > FEMALE_DAY_OFFSET else "M"


def validate_nik(nik: str, *, birth_date: date | None = None, sex: str | None = None) -> list[FieldError]:
    """16 digits: region (province, regency, kecamatan), DDMMYY (+40 on DD for women), serial."""
    if len(nik) != 16 or not _DIGITS.match(nik):
        return [FieldError("nik", _("NIK harus 16 angka"))]
    errors = []
    if int(nik[0:2]) not in PROVINCE_CODES:
        errors.append(FieldError("nik", _("kode provinsi %(code)s pada NIK tidak dikenal") % {"code": nik[0:2]}))
    if nik[2:4] == "00" or nik[4:6] == "00":
        errors.append(FieldError("nik", _("kode kabupaten/kota atau kecamatan pada NIK tidak boleh 00")))
    if nik[12:16] == "0000":
        errors.append(FieldError("nik", _("nomor urut NIK dimulai dari 0001")))
    day = int(nik[6:8])
    if not (1 <= day <= 31 or FEMALE_DAY_OFFSET + 1 <= day <= FEMALE_DAY_OFFSET + 31):
        errors.append(FieldError("nik", _("tanggal lahir pada NIK tidak valid (01-31, perempuan 41-71)")))
        return errors
    encoded = [d for d in (nik_birth_date(nik, century=c) for c in (1900, 2000)) if d]
    if not encoded:
        errors.append(FieldError("nik", _("tanggal lahir pada NIK bukan tanggal yang ada")))
    elif birth_date is not None and birth_date not in encoded:
        errors.append(FieldError("nik", _("tanggal lahir pada NIK tidak sama dengan tanggal lahir")))
    if sex is not None and sex != nik_sex(nik):
        errors.append(FieldError("nik", _("jenis kelamin tidak sesuai dengan NIK (perempuan: tanggal +40)")))
    return errors


def validate_kpj(kpj: str) -> list[FieldError]:
    if len(kpj) != 11 or not _DIGITS.match(kpj):
        return [FieldError("kpj", _("nomor KPJ harus 11 angka"))]
    return []


def validate_npp(npp: str) -> list[FieldError]:
    if len(npp) != 8 or not _DIGITS.match(npp):
        return [FieldError("npp", _("NPP harus 8 angka"))]
    return []


def normalize_phone(raw: str) -> str | None:
    """`0812-3456-7890`, `62812…`, `+62 812…` -> `+62812…`; None when not an Indonesian mobile."""
    digits = re.sub(r"[\s\-.()]", "", raw)
    if digits.startswith("+62"):
        national = "0" + digits[3:]
    elif digits.startswith("62"):
        national = "0" + digits[2:]
    else:
        national = digits
    if not _DIGITS.match(national) or not national.startswith("08") or not 10 <= len(national) <= 13:
        return None
    return "+62" + national[1:]


def validate_phone(raw: str) -> list[FieldError]:
    if normalize_phone(raw) is None:
        return [FieldError("phone", _("nomor ponsel harus 10-13 angka diawali 08, 628 atau +628"))]
    return []


def validate_email(raw: str) -> list[FieldError]:
    try:
        django_validate_email(raw)
    except DjangoValidationError:
        return [FieldError("email", _("alamat email tidak valid"))]
    return []


def validate_name(raw: str, *, field: str = "name") -> list[FieldError]:
    if not raw.strip():
        return [FieldError(field, _("nama wajib diisi"))]
    if len(raw) > 100:
        return [FieldError(field, _("nama paling panjang 100 huruf"))]
    if not _NAME.match(raw.strip()):
        return [FieldError(field, _("nama hanya boleh berisi huruf, spasi, titik, koma, apostrof dan tanda hubung"))]
    return []


def normalize_sex(raw: str) -> str | None:
    return SEXES.get(raw.strip().upper())


def normalize_name(raw: str) -> str:
    """Names are compared case- and spacing-insensitively; store them upper-case, single-spaced."""
    return " ".join(raw.split()).upper()
