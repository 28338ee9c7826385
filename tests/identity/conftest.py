import pytest


def sms_dropped(message):
    """A transport that accepts every message and sends nothing (the outbox row keeps the text)."""
    from saldo.channels.outbox import SendResult

    return SendResult(ok=True)


@pytest.fixture
def delivered(settings, django_capture_on_commit_callbacks):
    """Run what waits for the commit (mail, sends) as a committed transaction would, with SMS and
    WhatsApp going nowhere: `with delivered(): ...`."""
    settings.SALDO_TRANSPORTS = {"sms": "tests.identity.conftest.sms_dropped",
                                 "whatsapp": "tests.identity.conftest.sms_dropped"}
    return lambda: django_capture_on_commit_callbacks(execute=True)
