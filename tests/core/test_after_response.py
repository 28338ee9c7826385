"""Jobs queued during a request run once the response is closed (written to the client)."""

import logging

from django.http import HttpResponse
from django.test import RequestFactory

from saldo.core.after_response import after_response, after_response_middleware


def serve(view) -> HttpResponse:
    return after_response_middleware(view)(RequestFactory().get("/"))


def test_a_job_queued_by_a_view_runs_when_the_response_is_closed():
    done = []

    def view(request):
        after_response(lambda: done.append("mailed"))
        done.append("answered")
        return HttpResponse("ok")

    response = serve(view)
    assert done == ["answered"]
    response.close()
    assert done == ["answered", "mailed"]


def test_outside_a_request_a_job_runs_at_once():
    done = []
    after_response(lambda: done.append("mailed"))
    assert done == ["mailed"]


def test_a_failing_job_is_logged_and_the_next_one_still_runs(caplog):
    done = []

    def broken():
        raise OSError("mail server unreachable")

    def view(request):
        after_response(broken)
        after_response(lambda: done.append("second"))
        return HttpResponse("ok")

    with caplog.at_level(logging.ERROR, logger="saldo.core.after_response"):
        serve(view).close()
    assert done == ["second"]
    assert "after-response job" in caplog.text


def test_a_request_that_queued_nothing_leaves_no_jobs_for_the_next():
    serve(lambda request: HttpResponse("ok")).close()
    done = []
    after_response(lambda: done.append("now"))  # no request open: runs at once, not with a stale list
    assert done == ["now"]
