from contextlib import ExitStack

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http.response import ResponseHeaders
from django.test import RequestFactory

from tests.channels.kannel.harness import free_port
from tests.channels.kannel.stand_in import StandInSendsms, sendsms_stand_in

SECRET = "t0p-s3cret_for-tests"


@pytest.fixture(autouse=True)
def kannel_config(settings):
    """Settings as a deployment would have them; no backoff pauses, so retries cost no wall time."""
    settings.SALDO_KANNEL = {
        **settings.SALDO_KANNEL,
        "SECRET": SECRET,
        "USERNAME": "saldo",
        "PASSWORD": "sendsms-pw",
        "SHORTCODE": "2757",
        "PUBLIC_URL": "http://127.0.0.1:8000",
        "SEND_ATTEMPTS": 3,
        "SEND_TIMEOUT": 5,
        "SEND_BACKOFF": 0,
    }
    return settings.SALDO_KANNEL


@pytest.fixture
def sendsms(settings):
    """Start a stand-in sendsms answering the given statuses in turn (the last one repeats)."""
    with ExitStack() as stack:

        def start(*statuses: int) -> StandInSendsms:
            stand_in = stack.enter_context(sendsms_stand_in(list(statuses) or [202]))
            settings.SALDO_KANNEL = {**settings.SALDO_KANNEL, "SENDSMS_URL": stand_in.url}
            return stand_in

        yield start


@pytest.fixture
def unused_port() -> int:
    return free_port()


class WsgiResponse:
    """What the test client's response offers that these tests read."""

    def __init__(self, status: str, headers: list[tuple[str, str]], content: bytes):
        self.status_code = int(status.split()[0])
        self.headers = ResponseHeaders(dict(headers))
        self.content = content

    def __getitem__(self, name: str) -> str:
        return self.headers[name]


class WsgiClient:
    """Requests to saldo.wsgi.application, the application gunicorn serves, with the environ
    Django's test client would build. As that client does, it keeps request_started and
    request_finished from closing the test's database connection."""

    def __init__(self):
        from saldo.wsgi import application

        self.application = application
        self.factory = RequestFactory()

    def generic(self, method, path, data=b"", content_type="application/octet-stream", headers=None):
        environ = self.factory.generic(method, path, data, content_type, headers=headers).environ
        started = {}

        def start_response(status, response_headers, exc_info=None):
            started.update(status=status, headers=response_headers)

        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = self.application(environ, start_response)
            try:
                content = b"".join(body)
            finally:
                body.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return WsgiResponse(started["status"], started["headers"], content)

    def get(self, path, headers=None):
        return self.generic("GET", path, headers=headers)

    def put(self, path, headers=None):
        return self.generic("PUT", path, headers=headers)


@pytest.fixture(params=["django", "wsgi"])
def kannel_client(request, client):
    """The same requests through Django's handler (the test client) and through the WSGI
    application gunicorn serves, which answers Kannel's callbacks in front of Django."""
    return client if request.param == "django" else WsgiClient()
