"""One error hierarchy: stable codes, and validation errors that list every problem."""

from saldo.core.errors import (
    ConfigurationMissing,
    FieldError,
    IdempotencyConflict,
    NotFound,
    SaldoError,
    ValidationError,
)


def test_every_domain_error_is_a_saldo_error_with_a_stable_code():
    errors = [NotFound("x"), IdempotencyConflict("x"), ConfigurationMissing("x"), ValidationError([])]
    assert all(isinstance(e, SaldoError) for e in errors)
    assert [e.code for e in errors] == [
        "not_found",
        "idempotency_conflict",
        "configuration_missing",
        "invalid",
    ]


def test_a_code_may_be_made_more_specific():
    assert NotFound("x", code="kpj_not_found").code == "kpj_not_found"
    assert NotFound("x").code == "not_found"


def test_a_field_error_says_line_and_column():
    assert (
        str(FieldError("wage", "upah harus lebih dari 0", 7))
        == "baris 7, kolom wage: upah harus lebih dari 0"
    )
    assert str(FieldError("file", "berkas kosong")) == "kolom file: berkas kosong"


def test_a_validation_error_keeps_every_problem_and_summarises_them():
    errors = [FieldError("kpj", "salah", 2), FieldError("wage", "salah", 3)]
    exc = ValidationError(errors)
    assert exc.errors == errors
    assert exc.message == "baris 2, kolom kpj: salah; baris 3, kolom wage: salah"
