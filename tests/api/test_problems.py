"""Errors are application/problem+json (RFC 9457) with a stable code, in the language asked for."""

import pytest
from django.test import RequestFactory

from saldo.api.problems import server_error


def test_a_problem_has_type_title_status_detail_and_code(neng_in):
    answer = neng_in.api.get("/cards/10000000009")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json() == {
        "type": "urn:saldo:problem:kpj_not_found",
        "title": "Tidak ditemukan",
        "status": 404,
        "detail": "KPJ 10000000009 tidak ditemukan",
        "code": "kpj_not_found",
        "errors": [],
        "retry_after": None,
        "remaining": None,
    }


def test_indonesian_is_the_default_and_english_is_available(neng_in):
    default = neng_in.api.get("/cards/10000000009").json()
    english = neng_in.api.get("/cards/10000000009", language="en").json()
    indonesian = neng_in.api.get("/cards/10000000009", language="id").json()
    assert (default["title"], default["detail"]) == (indonesian["title"], indonesian["detail"]) == (
        "Tidak ditemukan", "KPJ 10000000009 tidak ditemukan")
    assert (english["title"], english["detail"]) == ("Not found", "KPJ 10000000009 not found")
    assert english["code"] == default["code"] == "kpj_not_found"


def test_invalid_input_lists_each_field_in_the_language_asked(api):
    answer = api.post("/auth/register", {"kpj": "12", "birth_date": "kemarin"}, language="en")
    assert answer.status_code == 422
    problem = answer.json()
    assert (problem["code"], problem["title"], problem["detail"]) == (
        "invalid", "Data cannot be processed", "Some data are invalid.")
    assert {(e["field"], e["message"]) for e in problem["errors"]} == {
        ("kpj", "wrong format"),
        ("birth_date", "must be a date YYYY-MM-DD"),
        ("nik", "required"),
        ("name", "required"),
        ("mother_maiden_name", "required"),
        ("phone", "required"),
        ("email", "required"),
    }


def test_a_path_parameter_of_the_wrong_shape_is_422(neng_in):
    answer = neng_in.api.get("/cards/abc")
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "kpj", "message": "formatnya tidak sesuai"}]


def test_a_body_that_is_not_json_is_400(api):
    answer = api.client.post("/api/v1/auth/login", "{not json", content_type="application/json")
    assert (answer.status_code, answer["Content-Type"], answer.json()["code"]) == (
        400, "application/problem+json", "bad_request")


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/nothing-here", "/api/v1/cards/68516716147/nothing"])
def test_an_address_that_is_no_endpoint_is_a_404_problem(api, path):
    answer = api.client.get(path)
    assert (answer.status_code, answer["Content-Type"], answer.json()["code"]) == (
        404, "application/problem+json", "not_found")


def test_a_failure_inside_is_a_500_problem_that_tells_nothing(caplog):
    request = RequestFactory().get("/api/v1/me")
    answer = server_error(request, RuntimeError("database password is hunter2"))
    assert (answer.status_code, answer["Content-Type"]) == (500, "application/problem+json")
    assert b"hunter2" not in answer.content
    assert "hunter2" in caplog.text  # the operator sees it in the log
