"""Claim documents: checked by content (not by name), and stored privately outside the web root.

Only JPG, PNG and PDF are accepted, at most SALDO_CLAIMS["MAX_UPLOAD_BYTES"] each; the type is
read from the file's first bytes and must agree with the name's extension, so a renamed file is
refused. Files are kept under SALDO_CLAIMS["DOCUMENT_ROOT"] (never under STATIC_ROOT; nothing
serves that folder) with owner-only permissions and random names; staff read them through the
admin, which checks permissions and records the disclosure.
"""

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from saldo.claims.rules import DOCUMENT_LABELS, Document, ReasonRule
from saldo.core.private_files import private_path, private_store


@dataclass(frozen=True)
class FileType:
    content_type: str
    magic: bytes
    extensions: tuple[str, ...]


FILE_TYPES = (
    FileType("application/pdf", b"%PDF-", (".pdf",)),
    FileType("image/jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg")),
    FileType("image/png", b"\x89PNG\r\n\x1a\n", (".png",)),
)


class Problem:
    """Stable codes of what can be wrong with the documents of an application."""

    KIND_UNKNOWN = "document_kind_unknown"
    EMPTY = "document_empty"
    TOO_LARGE = "document_too_large"
    TYPE_NOT_ALLOWED = "document_type_not_allowed"
    TYPE_MISMATCH = "document_type_mismatch"
    MISSING = "documents_missing"


@dataclass(frozen=True)
class DocumentUpload:
    """One uploaded file as a channel received it: the document kind (rules.Document), the
    name the member gave it, and its bytes."""

    kind: str
    name: str
    content: bytes

    @classmethod
    def from_file(cls, *, kind: str, file: BinaryIO, name: str | None = None) -> "DocumentUpload":
        """From an open file (e.g. Django's UploadedFile), reading at most one byte past the limit,
        so an oversized upload is refused without holding all of it."""
        content = file.read(max_upload_bytes() + 1)
        return cls(kind=kind, name=name if name is not None else getattr(file, "name", "") or "", content=content)


@dataclass(frozen=True)
class DocumentProblem:
    code: str
    field: str  # "documents[2]" for one upload, "documents" for a missing requirement
    message: str

    def as_json(self) -> dict:
        return {"code": self.code, "field": self.field, "message": self.message}


def max_upload_bytes() -> int:
    return settings.SALDO_CLAIMS["MAX_UPLOAD_BYTES"]


def document_root() -> Path:
    return Path(settings.SALDO_CLAIMS["DOCUMENT_ROOT"])


def file_type_detect(content: bytes) -> FileType | None:
    """The accepted type whose signature `content` starts with, or None."""
    return next((t for t in FILE_TYPES if content.startswith(t.magic)), None)


def upload_problems(upload: DocumentUpload, *, index: int) -> list[DocumentProblem]:
    """Everything wrong with one upload (an empty list when it is acceptable)."""
    field = f"documents[{index}]"
    name = PurePosixPath(upload.name.replace("\\", "/")).name or "?"
    if upload.kind not in Document.__members__.values():
        return [
            DocumentProblem(
                Problem.KIND_UNKNOWN, field, _("jenis dokumen '%(kind)s' tidak dikenal") % {"kind": upload.kind}
            )
        ]
    if not upload.content:
        return [DocumentProblem(Problem.EMPTY, field, _("berkas %(name)s kosong") % {"name": name})]
    limit = max_upload_bytes()
    if len(upload.content) > limit:
        message = _("berkas %(name)s lebih dari %(mb)s MB") % {"name": name, "mb": _megabytes(limit)}
        return [DocumentProblem(Problem.TOO_LARGE, field, message)]
    detected = file_type_detect(upload.content)
    if detected is None:
        message = _("berkas %(name)s bukan JPG, PNG atau PDF") % {"name": name}
        return [DocumentProblem(Problem.TYPE_NOT_ALLOWED, field, message)]
    if PurePosixPath(name.lower()).suffix not in detected.extensions:
        message = _("isi berkas %(name)s tidak sesuai namanya (isinya %(type)s)") % {
            "name": name,
            "type": detected.extensions[0].lstrip(".").upper(),
        }
        return [DocumentProblem(Problem.TYPE_MISMATCH, field, message)]
    return []


def missing_documents(rule: ReasonRule, kinds: set[str]) -> list[DocumentProblem]:
    """One problem per requirement of `rule` that none of the uploaded `kinds` meets."""
    problems = []
    for requirement in rule.required_documents:
        if not set(requirement) & kinds:
            labels = _(" atau ").join(str(DOCUMENT_LABELS[d]) for d in requirement)
            problems.append(
                DocumentProblem(Problem.MISSING, "documents", _("dokumen wajib: %(what)s") % {"what": labels})
            )
    return problems


def document_store(*, content: bytes, extension: str) -> str:
    """Write `content` to a new private file; returns its path relative to the document root."""
    return private_store(root=document_root(), content=content, extension=extension)


def document_path(relative: str) -> Path:
    """The file of a stored document; refuses a path that would leave the document root."""
    return private_path(root=document_root(), relative=relative)


def document_remove(relative: str) -> None:
    """Remove a stored file (only for files of an application that was not saved)."""
    document_path(relative).unlink(missing_ok=True)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"
