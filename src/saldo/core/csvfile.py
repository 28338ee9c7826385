"""Reading operator CSV files: strict UTF-8, an exact header, every problem reported by line."""

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

from saldo.core.errors import FieldError, ValidationError


@dataclass(frozen=True)
class CsvFile:
    path: Path
    sha256: str
    text: str
    columns: tuple[str, ...]

    def rows(self) -> Iterator[tuple[int, dict[str, str] | None, FieldError | None]]:
        """(line number, row or None, error or None) for every data line; blank lines skipped."""
        reader = csv.reader(io.StringIO(self.text, newline=""))
        next(reader)
        for fields in reader:
            line = reader.line_num
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            if len(fields) != len(self.columns):
                yield (
                    line,
                    None,
                    FieldError(
                        "*",
                        _("baris berisi %(got)d kolom, seharusnya %(want)d")
                        % {"got": len(fields), "want": len(self.columns)},
                        line,
                    ),
                )
                continue
            yield line, {c: v.strip() for c, v in zip(self.columns, fields, strict=True)}, None


def csv_open(path: str | Path, *, expected: tuple[str, ...]) -> CsvFile:
    """Open and check a CSV file's encoding and header; raise ValidationError if unusable."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            [FieldError("file", _("berkas tidak bisa dibaca: %(reason)s") % {"reason": exc.strerror})]
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValidationError(
            [FieldError("file", _("berkas bukan teks UTF-8 (simpan ulang sebagai CSV UTF-8)"), line)]
        ) from exc
    if "\x00" in text:
        raise ValidationError([FieldError("file", _("berkas berisi karakter NUL; bukan CSV teks"), 0)])
    first = next(csv.reader(io.StringIO(text, newline="")), None)
    if not first:
        raise ValidationError([FieldError("file", _("berkas kosong; baris pertama harus judul kolom"), 1)])
    header = tuple(h.strip().lower() for h in first)
    if set(header) != set(expected) or len(header) != len(expected):
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        parts = []
        if missing:
            parts.append(_("kolom hilang: %(columns)s") % {"columns": ", ".join(missing)})
        if extra:
            parts.append(_("kolom tidak dikenal: %(columns)s") % {"columns": ", ".join(extra)})
        if not parts:
            parts.append(_("kolom ganda"))
        message = _("%(problems)s. Harus: %(columns)s") % {"problems": "; ".join(parts), "columns": ",".join(expected)}
        raise ValidationError([FieldError("header", message, 1)])
    return CsvFile(path, hashlib.sha256(raw).hexdigest(), text, header)


_ISO = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_DMY = re.compile(r"^([0-9]{2})[-/]([0-9]{2})[-/]([0-9]{4})\Z")


def parse_date(text: str) -> date:
    """YYYY-MM-DD, or DD-MM-YYYY / DD/MM/YYYY as Indonesian forms write it."""
    if match := _ISO.match(text):
        y, m, d = match.groups()
    elif match := _DMY.match(text):
        d, m, y = match.groups()
    else:
        raise ValueError(_("format tanggal harus YYYY-MM-DD (atau DD-MM-YYYY)"))
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise ValueError(_("tanggal tidak ada di kalender")) from None
