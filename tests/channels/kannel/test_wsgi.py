"""The WSGI application gunicorn serves answers Kannel's callbacks itself, in front of Django's
handler (channels/kannel/wsgi.py): what Django's handler did for them still happens."""

import logging

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection, connections
from django.utils import translation

from saldo.channels.models import InboundMessage
from tests.channels.kannel.conftest import WsgiClient
from tests.channels.kannel.test_inbound import CASES, URL, send


@pytest.fixture
def wsgi():
    return WsgiClient()


@pytest.fixture
def signalled():
    """The request signals sent, in order."""
    sent = []

    def started(sender, **kwargs):
        sent.append("started")

    def finished(sender, **kwargs):
        sent.append("finished")

    request_started.connect(started)
    request_finished.connect(finished)
    yield sent
    request_started.disconnect(started)
    request_finished.disconnect(finished)


closes = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's in-memory test database is never closed"
)


@closes
@pytest.mark.django_db(transaction=True)
def test_a_connection_past_conn_max_age_is_closed_once_the_callback_is_answered(wsgi):
    # As Django's handler does with request_finished: the next request opens a fresh connection.
    db = connections["default"]
    db.close()
    db.settings_dict["CONN_MAX_AGE"] = 0  # for the connections opened from now on
    try:
        assert send(wsgi, CASES[0]).status_code == 200
        assert db.connection is None
        assert send(wsgi, CASES[1]).status_code == CASES[1].status
        assert db.connection is None
    finally:
        db.settings_dict["CONN_MAX_AGE"] = 60


@pytest.mark.django_db(transaction=True)
def test_a_connection_within_its_age_is_kept_for_the_next_callback(wsgi):
    db = connections["default"]
    assert send(wsgi, CASES[0]).status_code == 200
    kept = db.connection
    assert kept is not None
    assert send(wsgi, CASES[1]).status_code == CASES[1].status
    assert db.connection is kept


def test_the_callbacks_do_not_go_through_django_s_request_signals(wsgi, signalled):
    assert send(wsgi, CASES[0]).status_code == 200
    assert signalled == []


def test_other_paths_are_django_s(wsgi, signalled):
    response = wsgi.get("/healthz")
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"  # the browser middleware ran
    assert signalled == ["started", "finished"]


def test_a_host_outside_allowed_hosts_is_refused_and_nothing_is_stored(wsgi, settings):
    def sent_to(host: str | None) -> int:
        headers = {"host": host} if host else {}
        return wsgi.generic("GET", f"{URL}?{CASES[0].query}", headers=headers).status_code

    assert sent_to("evil.example") == 400
    assert sent_to("evil.example") == 400  # a second time, from what was remembered
    assert not InboundMessage.objects.exists()
    settings.ALLOWED_HOSTS = ["sms.example"]  # what was remembered is forgotten
    assert sent_to(None) == 400  # testserver, allowed until now
    assert sent_to("sms.example") == 200
    assert InboundMessage.objects.count() == 1


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


def test_the_reply_is_in_the_site_language_whatever_the_thread_served_last(wsgi):
    # A gunicorn thread that served a page in English last still has English active.
    case = next(c for c in CASES if c.status == 200 and c.reply)
    with translation.override("en"):
        response = send(wsgi, case)
        assert translation.get_language() == "en"  # left as it was found
    assert response.content.decode() == case.reply  # the Indonesian reply the table expects
