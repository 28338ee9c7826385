"""The Cloud API webhook: the subscription handshake, signed POSTs only, every message stored
before it is answered and answered once, statuses applied to the outbox."""

import json

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections

from saldo.channels.models import InboundMessage, OutboundMessage
from saldo.channels.whatsapp import views
from saldo.channels.whatsapp.models import GraphMessage, InboundDetail
from tests.channels.whatsapp import cloud_api
from tests.channels.whatsapp.conftest import PHONE, WA_ID, WEBHOOK

# The handshake


def handshake(client, *, mode="subscribe", token=cloud_api.VERIFY_TOKEN, challenge="1158201444"):
    return client.get(WEBHOOK, {"hub.mode": mode, "hub.verify_token": token, "hub.challenge": challenge})


def test_the_handshake_echoes_the_bare_challenge(client):
    response = handshake(client)
    assert (response.status_code, response.content) == (200, b"1158201444")


@pytest.mark.parametrize(
    "query",
    [
        {"token": "wrong-token"},
        {"token": ""},
        {"mode": "unsubscribe"},
        {"challenge": ""},
    ],
)
def test_the_handshake_refuses_anything_else(client, query):
    assert handshake(client, **query).status_code == 403


def test_without_a_configured_verify_token_no_handshake_succeeds(client, settings):
    settings.SALDO_WHATSAPP = {**settings.SALDO_WHATSAPP, "VERIFY_TOKEN": ""}
    assert handshake(client, token="").status_code == 403


# Signatures


def a_text(text="halo", **kwargs):
    return cloud_api.envelope(messages=[cloud_api.text_message(text, sender=WA_ID, **kwargs)])


def test_a_correctly_signed_post_is_stored_and_answered(chat):
    reply = chat.say("halo")
    stored = InboundMessage.objects.get()
    assert (stored.channel, stored.sender, stored.text) == ("whatsapp", PHONE, "halo")
    assert stored.reply == reply.text
    assert reply.path == f"/v23.0/{cloud_api.PHONE_NUMBER_ID}/messages"


@pytest.mark.parametrize(
    "signature",
    [
        "",  # missing header
        "sha256=" + "0" * 64,
        cloud_api.signature(b"another body"),
        cloud_api.signature(json.dumps(a_text()).encode(), secret="not-the-app-secret"),
        "sha1=" + "0" * 40,  # the old X-Hub-Signature scheme
        "sha256=",
        "sha256=zzzz",
        "sha256=é",  # not even ASCII
    ],
)
def test_a_post_without_a_valid_signature_is_refused_and_nothing_is_stored(post, signature):
    response = post(a_text(), signature=signature)
    assert response.status_code == 401
    assert not InboundMessage.objects.exists()


def test_the_signature_is_over_the_raw_bytes_not_the_json(post):
    """Meta signs the bytes it sends; the same JSON spelled differently is another body."""
    body = json.dumps(a_text()).encode()
    respaced = json.dumps(json.loads(body), indent=2).encode()
    assert post(respaced, signature=cloud_api.signature(body)).status_code == 401
    assert post(respaced).status_code == 200


def test_the_signature_hex_may_come_in_capitals(post):
    body = json.dumps(a_text()).encode()
    assert post(body, signature=cloud_api.signature(body).upper().replace("SHA256=", "sha256=")).status_code == 200


def test_without_a_configured_app_secret_every_post_is_refused(post, settings):
    settings.SALDO_WHATSAPP = {**settings.SALDO_WHATSAPP, "APP_SECRET": ""}
    body = json.dumps(a_text()).encode()
    assert post(body, signature=cloud_api.signature(body, secret="")).status_code == 401


def test_a_signed_body_that_is_not_json_is_a_bad_request(post):
    assert post(b"{not json").status_code == 400
    assert post(b"[" * 100_000 + b"]" * 100_000).status_code == 400  # nesting beyond the parser's recursion


def test_only_get_and_post_are_allowed(client):
    assert client.put(WEBHOOK).status_code == 405


# Replays and dedupe


def test_a_replayed_post_is_answered_once(chat, post, django_capture_on_commit_callbacks):
    wamid = cloud_api.new_wamid()
    first = chat.deliver(cloud_api.text_message("halo", sender=WA_ID, wamid=wamid))
    assert len(first) == 1
    for _ in range(3):  # Meta's retries, or an attacker replaying a captured request
        assert chat.deliver(cloud_api.text_message("halo", sender=WA_ID, wamid=wamid)) == []
    assert InboundMessage.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


def test_a_batch_with_several_messages_answers_each_once(chat):
    messages = [cloud_api.text_message(text, sender=WA_ID) for text in ("halo", "BANTUAN", "halo")]
    with chat.capture(execute=True):
        assert chat.post(cloud_api.envelope(messages=messages)).status_code == 200
        assert chat.post(cloud_api.envelope(messages=messages)).status_code == 200  # the whole batch again
    assert len(chat.graph.take()) == 3
    assert InboundMessage.objects.filter(reply__isnull=True).count() == 0


def test_a_message_stored_but_never_answered_is_answered_when_meta_delivers_it_again(chat, post):
    """The first delivery was stored and the process died before answering (no on-commit capture:
    nothing after the store happens here); Meta's retry answers it."""
    wamid = cloud_api.new_wamid()
    InboundMessage.objects.create(
        channel="whatsapp", sender=PHONE, text="halo", external_id=wamid, received_at="2026-01-01T00:00Z"
    )
    InboundDetail.objects.create(message=InboundMessage.objects.get(), kind="text")
    assert len(chat.deliver(cloud_api.text_message("halo", sender=WA_ID, wamid=wamid))) == 1
    assert InboundMessage.objects.get().reply is not None


def test_the_response_goes_back_before_the_answer_is_worked_out(rf, graph, django_capture_on_commit_callbacks):
    """Meta gets its 200 once the message is stored; the answer (and its send, slow when the Graph
    API is) comes after the server has written the response and closes it."""
    body = json.dumps(a_text()).encode()
    request = rf.post(
        WEBHOOK, data=body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=cloud_api.signature(body)
    )
    response = views.webhook(request)
    assert (response.status_code, response.content) == (200, b"ok")
    assert InboundMessage.objects.get().reply is None
    assert graph.requests == []
    # What the WSGI server does after writing the response. Like Django's test client, keep the
    # end-of-request signal from closing the connection that holds the test's transaction.
    request_finished.disconnect(close_old_connections)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert InboundMessage.objects.get().reply is not None
    assert len(graph.requests) == 1


def test_messages_for_another_phone_number_of_the_business_are_left_alone(post):
    payload = a_text()
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999999999999"
    assert post(payload).status_code == 200
    assert not InboundMessage.objects.exists()


def test_a_reaction_is_not_a_message_to_answer(chat):
    reaction = {
        "from": WA_ID,
        "id": cloud_api.new_wamid(),
        "timestamp": "1749416383",
        "type": "reaction",
        "reaction": {"message_id": "wamid.earlier", "emoji": "👍"},
    }
    assert chat.deliver(reaction) == []
    assert not InboundMessage.objects.exists()


# Statuses


def test_statuses_move_our_message_along_and_never_back(chat, post):
    chat.say("halo")
    wamid = chat.graph.wamids[-1]
    message = OutboundMessage.objects.get()
    assert (message.status, message.external_id) == ("sent", wamid)

    def report(state, **kwargs):
        assert (
            post(cloud_api.envelope(statuses=[cloud_api.status(wamid, state, recipient=WA_ID, **kwargs)])).status_code
            == 200
        )
        message.refresh_from_db()
        return message.status

    assert report("delivered") == "delivered"
    assert report("read") == "delivered"
    assert report("sent") == "delivered"  # late and out of order: ignored
    assert report("failed", errors=[{"code": 131026, "title": "Message undeliverable"}]) == "delivered"


def test_read_without_delivered_means_delivered(chat, post):
    chat.say("halo")
    wamid = chat.graph.wamids[-1]
    post(cloud_api.envelope(statuses=[cloud_api.status(wamid, "read", recipient=WA_ID)]))
    assert OutboundMessage.objects.get().status == "delivered"


def test_a_failed_status_records_meta_s_error(chat, post):
    chat.say("halo")
    wamid = chat.graph.wamids[-1]
    errors = [{"code": 131026, "title": "Message undeliverable"}]
    post(cloud_api.envelope(statuses=[cloud_api.status(wamid, "failed", recipient=WA_ID, errors=errors)]))
    assert OutboundMessage.objects.values_list("status", "last_error").get() == (
        "failed",
        "131026 Message undeliverable",
    )


def test_statuses_of_messages_we_never_sent_are_ignored(post):
    unknown = cloud_api.status("wamid.sent-by-another-system", "delivered", recipient=WA_ID)
    assert post(cloud_api.envelope(statuses=[unknown])).status_code == 200


def test_the_wamid_is_kept_with_the_message_for_the_statuses(chat):
    chat.say("halo")
    graph = GraphMessage.objects.get()
    assert (graph.wamid, graph.sent_as) == (chat.graph.wamids[-1], "interactive")
