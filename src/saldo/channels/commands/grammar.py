"""The text commands of the SMS short code (and the WhatsApp bot): text in, one command out.

Formats from the seed articles (domain.md §6):

    DAFTAR SALDO#NIK#NAMA#DD-MM-YY#KPJ#EMAIL     (2020; email optional)
    DAFTAR SALDO#NIK#DD-MM-YYYY#KPJ#EMAIL        (2023; no name; DDMMYYYY too; email optional)
    SALDO <KPJ>    STATUS <KPJ>    KLAIM <KPJ>    BANTUAN / HELP / INFO
    PIN <6 angka>      the PIN the phone on record got, typed back from the number being bound
    BUKAN <kode>       "not me": the code of a security notice

Members type every variation, so reading is generous: any case, spaces (or none) around '#' and
between DAFTAR and SALDO, a literal "(spasi)", trailing or doubled '#', spaces or dashes inside
numbers, dates as DD-MM-YY, DD-MM-YYYY, DDMMYYYY, DD/MM/YYYY, DD.MM.YYYY or with a month name, and
even spaces instead of '#'. What comes out is strict: NIK and KPJ as ASCII digits, a real date, an
upper-case single-spaced name. A registration that cannot be read names the first wrong field.

Nothing here touches the database or the clock: `today` comes from the caller.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from saldo.registry.validators import normalize_name, validate_email, validate_kpj, validate_nik

# A real SMS is at most a few concatenated parts; anything longer is not a command.
MAX_TEXT = 1600
# A two-digit year is read in the century that makes the member at least this old today
# (the minimum working age); a NIK encodes the same two digits, so it cannot break the tie.
MIN_WORKING_AGE = 15
OLDEST_YEAR = 1900


class Field:
    NIK = "nik"
    NAME = "name"
    BIRTH_DATE = "birth_date"
    KPJ = "kpj"
    EMAIL = "email"
    FIELDS = "fields"  # more fields than either format has
    PIN = "pin"


@dataclass(frozen=True)
class Daftar:
    nik: str
    name: str | None
    birth_date: date
    kpj: str
    email: str | None


@dataclass(frozen=True)
class Saldo:
    kpj: str | None = None


@dataclass(frozen=True)
class Status:
    kpj: str | None = None


@dataclass(frozen=True)
class Klaim:
    """Can this KPJ's JHT be claimed today, and where is the claim in progress."""

    kpj: str | None = None


@dataclass(frozen=True)
class Pin:
    """The binding PIN sent to the phone on record, typed back from the number asking to be bound."""

    code: str


@dataclass(frozen=True)
class Bukan:
    """ "Not me": the report code of a security notice."""

    code: str


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Unknown:
    pass


@dataclass(frozen=True)
class FormatError:
    """A command recognised by its keyword whose `field` is missing or cannot be read."""

    command: str  # daftar, saldo, status, klaim, pin
    field: str  # one of Field


Command = Daftar | Saldo | Status | Klaim | Pin | Bukan | Help | Unknown | FormatError

_DAFTAR = re.compile(r"^DAFTAR\s*(?:[(<\[]\s*SPASI\s*[)>\]])?\s*(?:SALDO)?")
_QUERY = re.compile(r"^(?:CEK\s*|INFO\s*)?(SALDO|STATUS|KLAIM)")
# Words members put before the number: "SALDO KPJ 123…", "STATUS KEPESERTAAN 123…".
_QUERY_NOISE = re.compile(r"^(?:KPJ|JHT|JP|NO|NOMOR|NOMER|KARTU|PESERTA|KEPESERTAAN)\b[\s#:.,;=\-]*")
_LEADING_NUMBER = re.compile(r"^([0-9][0-9\s\-.]*)([A-Z].*)\Z")
_PIN = re.compile(r"^PIN\b[\s#:.,;=\-]*(.*)\Z")
_BUKAN = re.compile(r"^BUKAN\b[\s#:.,;=\-]*(?:SAYA\b[\s#:.,;=\-]*)?(.*)\Z")
_REPORT_CODE = re.compile(r"^[0-9A-Z]{8}\Z")
_HELP_WORDS = frozenset(["BANTUAN", "HELP", "INFO", "MENU", "TOLONG", "?"])
_SEPARATORS = " #:;,=."
_NUMBER_NOISE = re.compile(r"[\s\-.]")
_ASCII_DIGITS = re.compile(r"^[0-9]+\Z")
_NO_EMAIL = frozenset(["-", "0", "NONE", "NO", "TIDAK", "TIDAK ADA", "TIDAKADA", "KOSONG", "TDK ADA", "BELUM ADA"])
_NAME_PUNCTUATION = frozenset(" .,'-")

_DMY = re.compile(r"^([0-9]{1,2})\s*[-/.\s]\s*([0-9]{1,2})\s*[-/.\s]\s*([0-9]{4}|[0-9]{2})\Z")
_DMY_PACKED = re.compile(r"^([0-9]{2})([0-9]{2})([0-9]{4}|[0-9]{2})\Z")
_YMD = re.compile(r"^([0-9]{4})\s*[-/.]\s*([0-9]{1,2})\s*[-/.]\s*([0-9]{1,2})\Z")
_D_MONTH_Y = re.compile(r"^([0-9]{1,2})\s*[-/.\s]?\s*([A-Z]{3,9})\.?\s*[-/.\s]?\s*([0-9]{4}|[0-9]{2})\Z")
_DATE_SHAPED = re.compile(r"^[0-9][0-9\s\-/.]*\Z")
_MONTHS = {
    "JAN": 1, "FEB": 2, "PEB": 2, "MAR": 3, "APR": 4, "MEI": 5, "MAY": 5, "JUN": 6, "JUL": 7, "AGU": 8,
    "AGS": 8, "AGT": 8, "AUG": 8, "SEP": 9, "OKT": 10, "OCT": 10, "NOV": 11, "NOP": 11, "DES": 12, "DEC": 12,
}  # fmt: skip


def parse(text: str, *, today: date) -> Command:
    """Read one message. Never raises: unreadable text is Unknown or a FormatError."""
    if len(text) > MAX_TEXT:
        return Unknown()
    t = _clean(text)
    if match := _DAFTAR.match(t):
        return _daftar(t[match.end() :], today=today)
    if match := _QUERY.match(t):
        return _query(match[1], t[match.end() :])
    if match := _PIN.match(t):
        code = _number(match[1])
        return Pin(code) if code is not None and len(code) == 6 else FormatError("pin", Field.PIN)
    if (match := _BUKAN.match(t)) and _REPORT_CODE.match(code := "".join(match[1].split()).replace("-", "")):
        # "bukan" is an everyday word ("not"): only BUKAN followed by a code is the report.
        return Bukan(code)
    words = t.split()
    if words and (words[0] in _HELP_WORDS or words[0].strip(".!:,?") in _HELP_WORDS):
        return Help()
    return Unknown()


def parse_date(raw: str, *, today: date) -> date | None:
    """A birth date in any of the accepted spellings; None if it is not a real past date."""
    raw = raw.strip()
    parts = None
    if m := _DMY.match(raw) or _DMY_PACKED.match(raw):
        parts = int(m[1]), int(m[2]), m[3]
    elif m := _YMD.match(raw):
        parts = int(m[3]), int(m[2]), m[1]
    elif (m := _D_MONTH_Y.match(raw)) and m[2][:3] in _MONTHS:
        parts = int(m[1]), _MONTHS[m[2][:3]], m[3]
    if parts is None:
        return None
    day, month, year_text = parts
    year = int(year_text) if len(year_text) == 4 else _century(int(year_text), today=today)
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value if value.year >= OLDEST_YEAR and value <= today else None


def _century(two_digits: int, *, today: date) -> int:
    year = 2000 + two_digits
    return year if year <= today.year - MIN_WORKING_AGE else year - 100


def _clean(text: str) -> str:
    # NFKC folds full-width letters, digits and '＃' into ASCII; a surrogate cannot be folded.
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFKC", text).upper()
    text = text.translate({0x2013: "-", 0x2014: "-", 0x2212: "-", 0x2019: "'", 0x2018: "'", 0x60: "'"})
    return " ".join(text.split())


def _query(keyword: str, rest: str) -> Command:
    command = {"SALDO": Saldo, "STATUS": Status, "KLAIM": Klaim}[keyword]
    rest = rest.strip(_SEPARATORS + "-")
    while (noise := _QUERY_NOISE.match(rest)) and noise.end():
        rest = rest[noise.end() :]
    if not rest:
        return command()
    # "SALDO 68516716147 TERIMA KASIH": words after the number are courtesy, not part of it.
    if number := _LEADING_NUMBER.match(rest):
        rest = number[1]
    kpj = _number(rest)
    if kpj is None or validate_kpj(kpj):
        return FormatError(keyword.lower(), Field.KPJ)
    return command(kpj)


def _daftar(body: str, *, today: date) -> Command:
    fields = [f.strip() for f in body.strip(_SEPARATORS).split("#")]
    fields = [f for f in fields if f]  # trailing or doubled '#'
    if len(fields) == 1 and " " in fields[0]:
        fields = _fields_from_words(fields[0])
    with_name = len(fields) >= 2 and not _date_shaped(fields[1])
    layout = [Field.NIK, Field.NAME, Field.BIRTH_DATE, Field.KPJ, Field.EMAIL]
    if not with_name:
        layout.remove(Field.NAME)
    if len(fields) > len(layout):
        return FormatError("daftar", Field.FIELDS)
    raw = dict(zip(layout, fields, strict=False))
    values = {}
    for field in layout:
        value, ok = _READERS[field](raw.get(field), today)
        if not ok:
            return FormatError("daftar", field)
        values[field] = value
    return Daftar(
        nik=values[Field.NIK],
        name=values.get(Field.NAME),
        birth_date=values[Field.BIRTH_DATE],
        kpj=values[Field.KPJ],
        email=values[Field.EMAIL],
    )


def _fields_from_words(text: str) -> list[str]:
    """`NIK NAMA LENGKAP 07-10-1987 KPJ` without any '#': a run of words is the name, every
    other word a field of its own."""
    fields: list[str] = []
    name_run = False
    for word in text.split():
        is_name_word = word.replace(".", "").replace("'", "").isalpha() and not _date_shaped(word)
        if is_name_word and name_run:
            fields[-1] += " " + word
        else:
            fields.append(word)
        name_run = is_name_word
    return fields


def _date_shaped(raw: str) -> bool:
    return bool(_DATE_SHAPED.match(raw) or _D_MONTH_Y.match(raw))


def _number(raw: str) -> str | None:
    digits = _NUMBER_NOISE.sub("", raw)
    return digits if _ASCII_DIGITS.match(digits) else None


def _read_nik(raw: str | None, today: date) -> tuple[str | None, bool]:
    nik = _number(raw or "")
    return nik, bool(nik) and not validate_nik(nik)


def _read_name(raw: str | None, today: date) -> tuple[str | None, bool]:
    if raw is None:
        return None, True
    ok = len(raw) <= 100 and any(c.isalpha() for c in raw) and all(c.isalpha() or c in _NAME_PUNCTUATION for c in raw)
    return (normalize_name(raw) if ok else None), ok


def _read_birth_date(raw: str | None, today: date) -> tuple[date | None, bool]:
    value = parse_date(raw, today=today) if raw else None
    return value, value is not None


def _read_kpj(raw: str | None, today: date) -> tuple[str | None, bool]:
    kpj = _number(raw or "")
    return kpj, bool(kpj) and not validate_kpj(kpj)


def _read_email(raw: str | None, today: date) -> tuple[str | None, bool]:
    if raw is None or raw in _NO_EMAIL:
        return None, True
    email = raw.replace(" ", "").lower()
    return email, not validate_email(email)


_READERS = {
    Field.NIK: _read_nik,
    Field.NAME: _read_name,
    Field.BIRTH_DATE: _read_birth_date,
    Field.KPJ: _read_kpj,
    Field.EMAIL: _read_email,
}
