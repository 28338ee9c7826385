import re
from dataclasses import dataclass, field

import pytest

from tests.channels.kannel.stand_in import StandInSendsms, sendsms_stand_in
from tests.channels.whatsapp import cloud_api
from tests.channels.whatsapp.graph_stand_in import GraphRequest, StandInGraph, graph_stand_in

WEBHOOK = "/channels/whatsapp/webhook"
WA_ID = "6281234567890"  # +62 812-3456-7890 as WhatsApp writes it
PHONE = "+6281234567890"


@pytest.fixture(autouse=True)
def whatsapp_config(settings, tmp_path):
    """Settings as a deployment has them; the Graph URL points nowhere until `graph` starts the
    stand-in. No backoff pauses, so retries cost no wall time."""
    settings.SALDO_WHATSAPP = {
        **settings.SALDO_WHATSAPP,
        "VERIFY_TOKEN": cloud_api.VERIFY_TOKEN,
        "APP_SECRET": cloud_api.APP_SECRET,
        "ACCESS_TOKEN": cloud_api.ACCESS_TOKEN,
        "PHONE_NUMBER_ID": cloud_api.PHONE_NUMBER_ID,
        "GRAPH_URL": "http://127.0.0.1:9",
        "GRAPH_VERSION": "v23.0",
        "SEND_TIMEOUT": 5,
        "TEMPLATE_NAME": "saldo_pesan",
        "TEMPLATE_LANGUAGE": "id",
    }
    settings.SALDO_KANNEL = {**settings.SALDO_KANNEL, "SEND_ATTEMPTS": 3, "SEND_BACKOFF": 0, "SECRET": "k-secret"}
    # Digital cards are signed with a key made for the test, never with one under data/.
    settings.SALDO_API = {**settings.SALDO_API, "CARD_SIGNING_KEY": "", "CARD_KEY_FILE": tmp_path / "card-key.pem"}
    return settings.SALDO_WHATSAPP


@pytest.fixture
def graph(settings):
    """The Graph API stand-in, answering 200 until scripted otherwise."""
    with graph_stand_in([200]) as stand_in:
        settings.SALDO_WHATSAPP = {**settings.SALDO_WHATSAPP, "GRAPH_URL": stand_in.url}
        yield stand_in


@pytest.fixture
def sms(settings):
    """Kannel's sendsms stand-in: where the registration PIN goes."""
    with sendsms_stand_in([202]) as stand_in:
        settings.SALDO_KANNEL = {**settings.SALDO_KANNEL, "SENDSMS_URL": stand_in.url}
        yield stand_in


@pytest.fixture
def post(client):
    """POST a webhook body, signed with the app secret unless `signature` says otherwise."""

    def send(payload, *, signature: str | None = None, **headers):
        body = cloud_api.body_of(payload)
        if signature is None:
            signature = cloud_api.signature(body)
        if signature:
            headers["HTTP_X_HUB_SIGNATURE_256"] = signature
        return client.post(WEBHOOK, data=body, content_type="application/json", **headers)

    return send


@dataclass
class Chat:
    """One member's WhatsApp, talking to the webhook: what they send, and what reaches the Graph
    API stand-in (and the SMS gateway) in answer."""

    post: object
    graph: StandInGraph
    sms: StandInSendsms
    capture: object
    wa_id: str = WA_ID
    last: list[GraphRequest] = field(default_factory=list)

    def deliver(self, message: dict) -> list[GraphRequest]:
        """Meta delivers `message`; the replies it got, as sent to the Graph API."""
        with self.capture(execute=True):
            response = self.post(cloud_api.envelope(messages=[message]))
        assert response.status_code == 200, response.content
        self.last = self.graph.take()
        return self.last

    def say(self, text: str, **kwargs) -> GraphRequest:
        return self._one(self.deliver(cloud_api.text_message(text, sender=self.wa_id, **kwargs)))

    def tap(self, title: str, *, on: GraphRequest | None = None) -> GraphRequest:
        """Tap the button or list row titled `title` on the last reply (or on `on`)."""
        shown = on or self._one(self.last)
        choice = shown.option(title)
        interactive = shown.body["interactive"]["type"]
        make = cloud_api.button_reply if interactive == "button" else cloud_api.list_reply
        return self._one(self.deliver(make(choice, title, sender=self.wa_id)))

    def pin(self) -> str:
        """The PIN in the last SMS the gateway was asked to send to this number."""
        texts = [r["text"] for r in self.sms.requests if r["to"] == "+" + self.wa_id]
        assert texts, "no SMS sent to this number"
        return re.search(r"\b(\d{6})\b", texts[-1]).group(1)

    @staticmethod
    def _one(replies: list[GraphRequest]) -> GraphRequest:
        assert len(replies) == 1, [r.body for r in replies]
        return replies[0]


@pytest.fixture
def chat(post, graph, sms, django_capture_on_commit_callbacks) -> Chat:
    return Chat(post=post, graph=graph, sms=sms, capture=django_capture_on_commit_callbacks)
