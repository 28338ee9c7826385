"""The webhook under a real WSGI server (pytest-django's live server on 127.0.0.1): Meta gets its
200 while the reply is still on its way to the Graph API."""

import time
import urllib.request

from saldo.channels.models import InboundMessage, OutboundMessage
from tests.channels.whatsapp import cloud_api
from tests.channels.whatsapp.conftest import WA_ID, WEBHOOK

# Bounds on waiting for things that take milliseconds; never what a test asserts.
WAIT_SECONDS = 15


def wait_for(condition) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_meta_gets_its_200_before_the_graph_api_has_answered(live_server, graph):
    # The first request loads the URLconf (the API's schemas take seconds): Meta's handshake does that.
    handshake = (
        f"{live_server.url}{WEBHOOK}?hub.mode=subscribe&hub.verify_token={cloud_api.VERIFY_TOKEN}&hub.challenge=1"
    )
    with urllib.request.urlopen(handshake, timeout=WAIT_SECONDS * 4) as response:
        assert response.read() == b"1"
    graph.hold()  # the Graph API takes its time: it answers only when released below
    body = cloud_api.body_of(cloud_api.envelope(messages=[cloud_api.text_message("halo", sender=WA_ID)]))
    request = urllib.request.Request(
        live_server.url + WEBHOOK,
        data=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": cloud_api.signature(body)},
    )
    try:
        # Had the response waited for the reply's send, this would time out: the send is held.
        with urllib.request.urlopen(request, timeout=WAIT_SECONDS / 3) as response:
            assert (response.status, response.read()) == (200, b"ok")
        assert InboundMessage.objects.filter(external_id__startswith="wamid.").count() == 1
        assert graph.arrived.wait(WAIT_SECONDS)  # the reply is on its way, after the response
        assert graph.requests == []
    finally:
        graph.release()
    assert wait_for(lambda: OutboundMessage.objects.filter(status="sent").exists())
    assert graph.requests[0].kind == "interactive"
