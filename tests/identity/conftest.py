import pytest


@pytest.fixture
def delivered(settings, django_capture_on_commit_callbacks):
    """Run what waits for the commit (mail, sends) as a committed transaction would, with SMS and
    WhatsApp going nowhere: `with delivered(): ...`."""
    settings.SALDO_TRANSPORTS = {"sms": "tests.factories.transport_dropped",
                                 "whatsapp": "tests.factories.transport_dropped"}
    return lambda: django_capture_on_commit_callbacks(execute=True)
