"""The WSGI application gunicorn serves answers Kannel's callbacks itself, in front of Django's
handler (channels/kannel/wsgi.py): what Django's handler did for them still happens."""

import logging

import pytest
from django.core.signals import request_finished, request_started

from saldo.channels.kannel.wsgi import KannelHandler
from saldo.channels.models import InboundMessage
from tests.channels.kannel.conftest import WsgiClient
from tests.channels.kannel.test_inbound import CASES, URL, send


@pytest.fixture
def wsgi():
    return WsgiClient()


@pytest.fixture
def signalled():
    """The request signals sent for the Kannel callbacks, in order."""
    sent = []

    def started(sender, **kwargs):
        sent.append(("started", sender))

    def finished(sender, **kwargs):
        sent.append(("finished", sender))

    request_started.connect(started)
    request_finished.connect(finished)
    yield sent
    request_started.disconnect(started)
    request_finished.disconnect(finished)


def test_a_callback_is_one_request_to_django_s_signal_receivers(wsgi, signalled):
    # request_started and request_finished close the connections that are unusable or too old.
    assert send(wsgi, CASES[0]).status_code == 200
    assert signalled == [("started", KannelHandler), ("finished", KannelHandler)]


def test_other_paths_are_django_s(wsgi, signalled):
    response = wsgi.get("/healthz")
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"  # the browser middleware ran
    assert ("started", KannelHandler) not in signalled


def test_an_error_while_answering_is_a_500_that_django_s_logger_reports(wsgi, settings, caplog):
    settings.SALDO_CHANNELS = {}  # a deployment missing its limits: answering fails
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = send(wsgi, CASES[0])
    assert response.status_code == 500  # Kannel sends it again later
    assert [r.getMessage() for r in caplog.records if r.name == "django.request"] == [f"Internal Server Error: {URL}"]
    assert InboundMessage.objects.get().reply is None  # kept, unanswered, for pending_process


def test_a_method_other_than_get_or_post_is_told_which_are_allowed(wsgi):
    response = wsgi.put(f"{URL}?{CASES[0].query}")
    assert (response.status_code, response["Allow"]) == (405, "GET, POST")


def test_a_body_larger_than_django_accepts_is_refused_by_both(kannel_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 3
    case = next(c for c in CASES if c.method == "POST" and c.status == 200)
    assert send(kannel_client, case).status_code == 400
    assert not InboundMessage.objects.exists()
