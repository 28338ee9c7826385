from contextlib import ExitStack

import pytest

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
