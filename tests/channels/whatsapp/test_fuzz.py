"""Whatever a signed webhook body holds, the webhook answers without a 5xx and without an
exception, and every message it stored gets an answer (a failure while answering would leave one
unanswered)."""

import itertools
import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saldo.channels.models import InboundMessage
from tests.channels.whatsapp import cloud_api
from tests.channels.whatsapp.conftest import PHONE, WA_ID
from tests.factories import bind_phone, make_member, post_contribution

KPJ = "68516716147"
_serial = itertools.count()
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Bodies the parser turns away early cost little; fewer of them cover it.
SHALLOW = settings(FUZZ, max_examples=50)

json_leaf = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40)
json_value = st.recursive(
    json_leaf, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
)


def maybe(strategy):
    """The documented value, or now and then anything at all."""
    return st.one_of(strategy, strategy, json_value)


def _envelope(wrap, shape, key=lambda leaf: leaf):
    """The Cloud API's webhook body; `wrap` varies its content, `shape` its structure and `key` the
    fields that route it (object, field, phone number id, sender, id, type)."""
    senders = key(
        st.sampled_from([WA_ID, WA_ID, WA_ID, "6285712345678", "16505551234"]) | st.from_regex(r"\A[0-9]{5,20}\Z")
    )
    texts = wrap(
        st.sampled_from(
            ["halo", "SALDO", f"SALDO {KPJ}", "STATUS", "KLAIM", "BANTUAN", "daftar", "batal", "123456", "07-10-1987"]
        )
        | st.text(max_size=300)
    )
    choices = wrap(
        st.sampled_from(
            ["menu:saldo", "menu:status", "menu:kartu", "menu:riwayat", "menu:klaim", "menu:bantuan", "menu:daftar"]
            + ["menu:utama"]
            + [f"{s}:{KPJ}" for s in ("saldo", "status", "kartu", "riwayat", "klaim")]
            + ["reg:ulang", "reg:batal", "saldo:", ":", ""]
        )
        | st.text(max_size=300)
    )
    timestamps = wrap(
        st.just(str(int(time.time()))) | st.integers(min_value=-(2**70), max_value=2**70).map(str) | st.integers()
    )
    # Mostly fresh ids (a repeated one is a retry, answered once), sometimes any text at all.
    wamids = key(st.integers(min_value=0).map(lambda n: f"wamid.{next(_serial)}.{n}") | st.text(max_size=120))
    kinds = key(st.sampled_from(["text", "interactive", "interactive", "button", "image", "reaction", "unknown"]))

    def interactive(kind: str):
        reply = st.fixed_dictionaries({"id": choices, "title": texts})
        return shape(st.fixed_dictionaries({"type": key(st.just(kind)), kind: shape(reply)}))

    message = st.fixed_dictionaries(
        {
            "from": senders,
            "id": wamids,
            "timestamp": timestamps,
            "type": kinds,
            "text": shape(st.fixed_dictionaries({"body": texts})),
            "interactive": interactive("button_reply") | interactive("list_reply"),
        },
        optional={"button": shape(st.fixed_dictionaries({"payload": texts, "text": texts}))},
    )
    status = st.fixed_dictionaries(
        {
            "id": wamids,
            "status": wrap(st.sampled_from(["sent", "delivered", "read", "failed", "deleted"])),
            "timestamp": timestamps,
            "recipient_id": senders,
        },
        optional={
            "errors": shape(st.lists(shape(st.fixed_dictionaries({"code": wrap(st.integers()), "title": texts}))))
        },
    )
    value = st.fixed_dictionaries(
        {
            "messaging_product": st.just("whatsapp"),
            "metadata": shape(st.fixed_dictionaries({"phone_number_id": key(st.just(cloud_api.PHONE_NUMBER_ID))})),
        },
        optional={
            "messages": shape(st.lists(shape(message), min_size=1, max_size=3)),
            "statuses": shape(st.lists(shape(status), min_size=1, max_size=3)),
        },
    )
    change = shape(st.fixed_dictionaries({"field": key(st.just("messages")), "value": shape(value)}))
    entry = shape(
        st.fixed_dictionaries(
            {"id": st.just(cloud_api.WABA_ID), "changes": shape(st.lists(change, min_size=1, max_size=2))}
        )
    )
    return st.fixed_dictionaries(
        {"object": key(st.just("whatsapp_business_account")), "entry": shape(st.lists(entry, min_size=1, max_size=2))}
    )


well_formed = _envelope(lambda leaf: st.one_of(leaf, json_leaf), lambda structure: structure)
any_level_wrong = _envelope(maybe, maybe, maybe)


@pytest.fixture
def member(settings):
    # Every example shares one database: without this, the abuse limit would answer most of them.
    settings.SALDO_CHANNELS = {**settings.SALDO_CHANNELS, "RATE_LIMIT_MESSAGES": 1_000_000}
    membership = make_member(kpj=KPJ, birth_date=date(1987, 10, 7))
    post_contribution(membership, "2026-01", 5_000_000)
    bind_phone(membership, PHONE)
    return membership


def assert_survives(response) -> None:
    assert response.status_code in (200, 400), response.content
    assert not InboundMessage.objects.filter(channel="whatsapp", reply__isnull=True).exists()


@FUZZ
@given(payload=well_formed)
def test_documented_shapes_with_any_values_are_answered_without_a_5xx(post, member, payload):
    assert_survives(post(payload))


@SHALLOW
@given(payload=any_level_wrong)
def test_any_webhook_shape_is_answered_without_a_5xx(post, member, payload):
    assert_survives(post(payload))


@SHALLOW
@given(payload=json_value)
def test_any_json_at_all_is_answered_without_a_5xx(post, payload):
    assert_survives(post(payload))


@SHALLOW
@given(body=st.binary(max_size=300))
def test_any_bytes_at_all_are_answered_without_a_5xx(post, body):
    assert_survives(post(body))
