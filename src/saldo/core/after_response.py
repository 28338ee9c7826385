"""Work that runs after the response has gone to the client.

A request whose answer must not depend on a slow outside server uses this: the password-reset
page answers the same for every email, and its timing must not say otherwise, so the mail to a
known address is sent only once the page has been written to the socket.

The WSGI server calls the response's close() after it wrote the body (gunicorn, wsgiref, the test
client all do): the jobs queued during the request run there, on the same thread. Outside a
request (management commands, tests calling services), a job runs at once. A job that fails is
logged and does not stop the others; the client already has its answer.
"""

import logging
import threading
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)
Job = Callable[[], object]

_request = threading.local()


def after_response(job: Job) -> None:
    """Run `job` after the current response is sent, or now when there is no request."""
    jobs: list[Job] | None = getattr(_request, "jobs", None)
    if jobs is None:
        job()
    else:
        jobs.append(job)


def after_response_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        _request.jobs = []
        try:
            response = get_response(request)
        finally:
            jobs, _request.jobs = _request.jobs, None
        if jobs:
            # HttpResponse.close() runs its resource closers and swallows their errors; _run logs them.
            response._resource_closers.append(lambda: _run(jobs))
        return response

    return middleware


def _run(jobs: list[Job]) -> None:
    for job in jobs:
        try:
            job()
        except Exception:
            log.exception("after-response job %r failed", job)
