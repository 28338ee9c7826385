"""Claim documents are judged by their content, limited in size, and kept privately."""

import io
import stat
from pathlib import Path

import pytest
from django.conf import settings

from saldo.claims.documents import (
    DocumentUpload,
    Problem,
    document_path,
    document_store,
    file_type_detect,
    missing_documents,
    upload_problems,
)
from saldo.claims.rules import rule_get
from tests.factories import JPG_BYTES, PDF_BYTES, PNG_BYTES

LIMIT = 6 * 1024 * 1024


def codes(upload):
    return [p.code for p in upload_problems(upload, index=0)]


@pytest.mark.parametrize(
    ("name", "content"),
    [("ktp.pdf", PDF_BYTES), ("ktp.PDF", PDF_BYTES), ("foto.jpg", JPG_BYTES), ("foto.jpeg", JPG_BYTES),
     ("scan.png", PNG_BYTES), ("C:\\Users\\siti\\ktp.png", PNG_BYTES)],
)  # fmt: skip
def test_jpg_png_and_pdf_are_accepted(name, content):
    assert codes(DocumentUpload("ktp", name, content)) == []


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("ktp.pdf", PNG_BYTES, Problem.TYPE_MISMATCH),  # a PNG renamed to .pdf
        ("ktp.jpg", PDF_BYTES, Problem.TYPE_MISMATCH),
        ("ktp.exe", PDF_BYTES, Problem.TYPE_MISMATCH),
        ("ktp", PDF_BYTES, Problem.TYPE_MISMATCH),
        ("ktp.pdf", b"MZ\x90\x00 not a pdf at all", Problem.TYPE_NOT_ALLOWED),  # an executable named .pdf
        ("ktp.pdf", b"GIF89a....", Problem.TYPE_NOT_ALLOWED),
        ("ktp.pdf", b"", Problem.EMPTY),
    ],
)
def test_the_content_decides_not_the_name(name, content, code):
    assert codes(DocumentUpload("ktp", name, content)) == [code]


def test_six_megabytes_is_the_limit():
    assert settings.SALDO_CLAIMS["MAX_UPLOAD_BYTES"] == LIMIT
    at_limit = PDF_BYTES + b"0" * (LIMIT - len(PDF_BYTES))
    assert codes(DocumentUpload("ktp", "ktp.pdf", at_limit)) == []
    assert codes(DocumentUpload("ktp", "ktp.pdf", at_limit + b"0")) == [Problem.TOO_LARGE]


def test_an_oversized_file_is_read_only_one_byte_past_the_limit():
    big = io.BytesIO(PDF_BYTES + b"0" * (2 * LIMIT))
    upload = DocumentUpload.from_file(kind="ktp", file=big, name="big.pdf")
    assert len(upload.content) == LIMIT + 1
    assert codes(upload) == [Problem.TOO_LARGE]


def test_an_unknown_document_kind_is_refused():
    assert codes(DocumentUpload("selfie_with_cat", "a.pdf", PDF_BYTES)) == [Problem.KIND_UNKNOWN]


def test_the_messages_name_the_file():
    problem = upload_problems(DocumentUpload("ktp", "scan.pdf", PNG_BYTES), index=3)[0]
    assert problem.as_json() == {
        "code": "document_type_mismatch",
        "field": "documents[3]",
        "message": "isi berkas scan.pdf tidak sesuai namanya (isinya PNG)",
    }


def test_each_required_document_is_asked_for():
    problems = missing_documents(rule_get("dismissal"), {"ktp"})
    assert [p.message for p in problems] == [
        "dokumen wajib: kartu peserta (KPJ)",
        "dokumen wajib: tanda terima atau laporan PHK dari dinas ketenagakerjaan atau pemberitahuan PHK dari "
        "pemberi kerja dan pernyataan tidak menolak PHK atau perjanjian bersama PHK atau putusan Pengadilan "
        "Hubungan Industrial",
    ]
    assert missing_documents(rule_get("dismissal"), {"ktp", "kpj_card", "phk_agreement"}) == []


def test_detection_reads_the_signature():
    assert [file_type_detect(c).content_type for c in (PDF_BYTES, JPG_BYTES, PNG_BYTES)] == [
        "application/pdf", "image/jpeg", "image/png"
    ]


def test_documents_are_stored_privately_outside_the_web_root(document_root):
    relative = document_store(content=PDF_BYTES, extension=".pdf")
    path = document_path(relative)
    assert path.read_bytes() == PDF_BYTES
    assert document_root.resolve() in path.parents
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_default_document_root_is_not_served():
    from django.conf import settings as real

    root = real.SALDO_CLAIMS["DOCUMENT_ROOT"].resolve()
    served = [Path(real.STATIC_ROOT).resolve()] + ([Path(real.MEDIA_ROOT).resolve()] if real.MEDIA_ROOT else [])
    for web_root in served:
        assert web_root != root and web_root not in root.parents and root not in web_root.parents


def test_a_stored_path_cannot_leave_the_document_root():
    with pytest.raises(ValueError):
        document_path("../../etc/passwd")
