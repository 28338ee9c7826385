"""Outbound WhatsApp: the Graph API request, retries on 429/5xx and never on other 4xx, the
outbox that survives a crash, and templates outside the 24-hour window. The Graph API is a real
HTTP server on 127.0.0.1 (graph_stand_in.py)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from saldo.channels.models import InboundMessage, OutboundMessage
from saldo.channels.outbox import outbound_send
from saldo.channels.whatsapp.messages import Option, WaReply, buttons_reply, card_reply
from saldo.channels.whatsapp.models import GraphMessage, InboundDetail
from saldo.channels.whatsapp.outbound import whatsapp_queue
from saldo.channels.whatsapp.selectors import window_open
from saldo.channels.whatsapp.transport import card_png
from tests.channels.whatsapp import cloud_api
from tests.channels.whatsapp.conftest import PHONE, WA_ID

Status = OutboundMessage.Status


def member_wrote(*, hours_ago: float, sender: str = PHONE) -> None:
    InboundMessage.objects.create(
        channel="whatsapp",
        sender=sender,
        text="halo",
        external_id=cloud_api.new_wamid(),
        received_at=timezone.now() - timedelta(hours=hours_ago),
        reply="",
    )


BALANCE = WaReply("Saldo JHT Anda Rp1.234.567")


def queue(reply: WaReply = BALANCE, **kwargs) -> OutboundMessage:
    return whatsapp_queue(to=PHONE, reply=reply, now=timezone.now(), **kwargs)


def state(message: OutboundMessage) -> tuple[str, int, str]:
    message.refresh_from_db()
    return message.status, message.attempts, message.last_error


# The request


def test_a_text_goes_to_the_messages_endpoint_with_the_bearer_token(graph):
    member_wrote(hours_ago=1)
    message = queue()
    outbound_send(message_id=message.id)
    (request,) = graph.requests
    assert request.path == f"/v23.0/{cloud_api.PHONE_NUMBER_ID}/messages"
    assert request.authorization == f"Bearer {cloud_api.ACCESS_TOKEN}"
    assert request.content_type == "application/json"
    assert request.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": WA_ID,
        "type": "text",
        "text": {"preview_url": False, "body": "Saldo JHT Anda Rp1.234.567"},
    }
    assert state(message) == (Status.SENT, 1, "")
    message.refresh_from_db()
    assert message.external_id == graph.wamids[0]


def test_buttons_go_as_an_interactive_message(graph):
    member_wrote(hours_ago=1)
    message = queue(buttons_reply("Pilih", [Option("menu:utama", "Menu Utama")]))
    outbound_send(message_id=message.id)
    assert graph.requests[0].body["interactive"] == {
        "type": "button",
        "body": {"text": "Pilih"},
        "action": {"buttons": [{"type": "reply", "reply": {"id": "menu:utama", "title": "Menu Utama"}}]},
    }


def test_the_base_url_and_version_are_configurable(graph, settings):
    settings.SALDO_WHATSAPP = {
        **settings.SALDO_WHATSAPP,
        "GRAPH_URL": graph.url + "/gateway/",
        "GRAPH_VERSION": "v99.0",
    }
    member_wrote(hours_ago=1)
    outbound_send(message_id=queue().id)
    assert graph.requests[0].path == f"/gateway/v99.0/{cloud_api.PHONE_NUMBER_ID}/messages"


def test_without_token_or_number_nothing_is_sent_and_the_reason_is_recorded(graph, settings):
    settings.SALDO_WHATSAPP = {**settings.SALDO_WHATSAPP, "ACCESS_TOKEN": ""}
    message = queue()
    outbound_send(message_id=message.id)
    assert graph.requests == []
    assert state(message) == (Status.FAILED, 1, "SALDO_WHATSAPP ACCESS_TOKEN and PHONE_NUMBER_ID are not set")


# Retries


@pytest.mark.parametrize("transient", [500, 503, 429])
def test_429_and_5xx_are_retried(graph, transient):
    member_wrote(hours_ago=1)
    graph.script(transient, transient, 200)
    message = queue()
    outbound_send(message_id=message.id)
    assert len(graph.requests) == 3
    assert state(message) == (Status.SENT, 3, "")


def test_retries_end_in_failure_with_meta_s_error(graph):
    member_wrote(hours_ago=1)
    graph.script(500)
    message = queue()
    outbound_send(message_id=message.id)
    assert len(graph.requests) == 3  # SEND_ATTEMPTS
    assert state(message) == (Status.FAILED, 3, "Graph HTTP 500: 1 An unknown error occurred")


@pytest.mark.parametrize("refused", [400, 401, 403, 404])
def test_other_4xx_are_never_retried(graph, refused):
    member_wrote(hours_ago=1)
    graph.script(refused)
    message = queue()
    outbound_send(message_id=message.id)
    assert len(graph.requests) == 1
    status, attempts, error = state(message)
    assert (status, attempts) == (Status.FAILED, 1)
    assert error.startswith(f"Graph HTTP {refused}")
    assert cloud_api.ACCESS_TOKEN not in error and WA_ID not in error


def test_an_unreachable_graph_api_is_retried(settings, unused_port):
    settings.SALDO_WHATSAPP = {**settings.SALDO_WHATSAPP, "GRAPH_URL": f"http://127.0.0.1:{unused_port}"}
    member_wrote(hours_ago=1)
    message = queue()
    outbound_send(message_id=message.id)
    status, attempts, error = state(message)
    assert (status, attempts) == (Status.FAILED, 3)
    assert error.startswith("Graph API unreachable")


@pytest.fixture
def unused_port() -> int:
    from tests.channels.kannel.harness import free_port

    return free_port()


def test_a_reply_whose_send_fails_at_first_still_reaches_the_member(chat):
    chat.graph.script(500, 200)
    first, second = chat.deliver(cloud_api.text_message("halo", sender=WA_ID))
    assert first.body == second.body
    assert OutboundMessage.objects.get().status == Status.SENT


# The digital card


def test_a_card_is_uploaded_then_sent_as_an_image_with_its_caption(graph):
    member_wrote(hours_ago=1)
    message = queue(card_reply("*Kartu Digital*\nKPJ: 68516716147", payload="SALDO1.e30.c2ln"))
    outbound_send(message_id=message.id)
    (upload,) = graph.uploads
    assert upload.file == card_png("SALDO1.e30.c2ln") and upload.filename == "kartu-digital.png"
    (request,) = graph.requests
    assert request.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": WA_ID,
        "type": "image",
        "image": {"id": upload.media_id, "caption": "*Kartu Digital*\nKPJ: 68516716147"},
    }
    assert GraphMessage.objects.get().sent_as == "image"


def test_a_failed_upload_is_retried_like_a_failed_send(graph):
    member_wrote(hours_ago=1)
    graph.script(503, 200)
    message = queue(card_reply("Kartu", payload="SALDO1.e30.c2ln"))
    outbound_send(message_id=message.id)
    assert len(graph.uploads) == 1 and len(graph.requests) == 1
    assert state(message) == (Status.SENT, 2, "")


def test_outside_the_window_a_card_goes_as_the_template_with_its_text(graph):
    member_wrote(hours_ago=30)
    outbound_send(message_id=queue(card_reply("Kartu\nKPJ: 68516716147", payload="SALDO1.e30.c2ln")).id)
    assert graph.uploads == []
    assert graph.requests[0].kind == "template" and graph.requests[0].text == "Kartu | KPJ: 68516716147"


# Nothing lost in a crash


def test_a_reply_queued_when_the_process_died_is_sent_by_send_pending(graph, django_capture_on_commit_callbacks):
    member_wrote(hours_ago=1)
    message = queue()  # committed, but the process died before its on-commit send
    OutboundMessage.objects.filter(id=message.id).update(created_at=timezone.now() - timedelta(minutes=5))
    call_command("send_pending")
    assert len(graph.requests) == 1
    assert state(message) == (Status.SENT, 1, "")


def test_a_message_stored_but_never_answered_is_answered_by_whatsapp_pending(
    graph, django_capture_on_commit_callbacks, capsys
):
    stored = InboundMessage.objects.create(
        channel="whatsapp",
        sender=PHONE,
        text="halo",
        external_id=cloud_api.new_wamid(),
        received_at=timezone.now() - timedelta(minutes=5),
    )
    InboundDetail.objects.create(message=stored, kind="text")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("whatsapp_pending")
    assert capsys.readouterr().out == "whatsapp-pending: 1 answered, 0 abandoned registration(s) removed\n"
    stored.refresh_from_db()
    assert stored.reply.startswith("Halo!")
    assert graph.requests[0].body["interactive"]["type"] == "list"


def test_whatsapp_pending_leaves_messages_still_being_answered(graph):
    InboundMessage.objects.create(
        channel="whatsapp", sender=PHONE, text="halo", external_id="wamid.fresh", received_at=timezone.now()
    )
    call_command("whatsapp_pending")
    assert InboundMessage.objects.get().reply is None


# The 24-hour window


def test_the_window_is_24_hours_from_the_member_s_last_message():
    now = timezone.now()
    assert window_open(last_message=now - timedelta(hours=23, minutes=59), now=now)
    assert not window_open(last_message=now - timedelta(hours=24), now=now)
    assert not window_open(last_message=None, now=now)


@pytest.mark.parametrize("hours_ago", [25, None])
def test_outside_the_window_only_the_template_goes(graph, hours_ago):
    if hours_ago is not None:
        member_wrote(hours_ago=hours_ago)
    message = queue(buttons_reply("Saldo JHT Anda\nRp1.234.567", [Option("menu:utama", "Menu Utama")]))
    outbound_send(message_id=message.id)
    (request,) = graph.requests
    assert request.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": WA_ID,
        "type": "template",
        "template": {
            "name": "saldo_pesan",
            "language": {"code": "id"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "Saldo JHT Anda | Rp1.234.567"}]}],
        },
    }
    assert GraphMessage.objects.get().sent_as == "template"


def test_a_message_from_another_number_does_not_open_this_one_s_window(graph):
    member_wrote(hours_ago=1, sender="+6285712345678")
    outbound_send(message_id=queue().id)
    assert graph.requests[0].kind == "template"


def test_a_reply_answering_an_old_message_goes_as_the_template(chat):
    """Meta retried a message for two days; its answer is due now, outside its window."""
    two_days_ago = int((timezone.now() - timedelta(days=2)).timestamp())
    (reply,) = chat.deliver(cloud_api.text_message("halo", sender=WA_ID, at=two_days_ago))
    assert reply.kind == "template"
    assert reply.text.startswith("Halo!")


def test_when_meta_says_the_window_had_closed_the_text_goes_again_as_the_template(chat, post):
    chat.say("halo")
    wamid = chat.graph.wamids[-1]
    failed = cloud_api.status(
        wamid, "failed", recipient=WA_ID, errors=[{"code": 131047, "title": "Re-engagement message"}]
    )
    with chat.capture(execute=True):
        post(cloud_api.envelope(statuses=[failed]))
        post(cloud_api.envelope(statuses=[failed]))  # Meta's retry of the same status: one resend only
    (resent,) = chat.graph.take()
    assert resent.kind == "template"
    assert resent.text.startswith("Halo!")
    assert list(OutboundMessage.objects.order_by("id").values_list("status", "last_error")) == [
        ("failed", "131047 Re-engagement message"),
        ("sent", ""),
    ]
