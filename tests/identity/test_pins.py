"""One-time PINs: sent by SMS, good once, for five minutes and three tries, a few per hour."""

from datetime import UTC, datetime, timedelta

import pytest

from saldo.channels.models import OutboundMessage
from saldo.identity.models import OneTimePin
from saldo.identity.pins import PinExhausted, PinExpired, PinRateLimited, PinWrong, pin_issue, pin_verify
from tests.factories import pin_sent_to

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
PHONE = "+6281234567890"
BALANCE = OneTimePin.Purpose.BALANCE


def issue(now=NOW, subject="account:1", purpose=BALANCE):
    return pin_issue(purpose=purpose, subject=subject, phone=PHONE, now=now)


def verify(code, now=NOW, subject="account:1", purpose=BALANCE):
    return pin_verify(purpose=purpose, subject=subject, code=code, now=now)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_pin_is_texted_in_gsm7_under_160_characters_and_only_its_hash_is_stored():
    issued = issue()
    message = OutboundMessage.objects.get()
    code = pin_sent_to(PHONE)
    assert (message.channel, message.to, message.status) == ("sms", PHONE, "queued")
    assert len(message.text) <= 160 and message.text.isascii()
    assert "JANGAN" in message.text
    stored = OneTimePin.objects.get()
    assert code not in stored.code_hash
    assert issued.expires_at == NOW + timedelta(minutes=5)


def test_the_right_pin_works_once():
    issue()
    code = pin_sent_to(PHONE)
    verify(code)
    with pytest.raises(PinExpired):
        verify(code)


def test_a_pin_is_dead_after_five_minutes():
    issue()
    with pytest.raises(PinExpired):
        verify(pin_sent_to(PHONE), now=NOW + timedelta(minutes=5))


def test_three_wrong_tries_spend_the_pin_even_for_the_right_code_afterwards():
    issue()
    code = pin_sent_to(PHONE)
    with pytest.raises(PinWrong) as first:
        verify(wrong(code))
    assert first.value.remaining == 2
    with pytest.raises(PinWrong) as second:
        verify(wrong(code))
    assert second.value.remaining == 1
    with pytest.raises(PinExhausted):
        verify(wrong(code))
    with pytest.raises(PinExhausted):
        verify(code)


def test_a_new_pin_replaces_the_old_one():
    issue()
    old = pin_sent_to(PHONE)
    issue(now=NOW + timedelta(minutes=1))
    new = pin_sent_to(PHONE)
    if old != new:
        with pytest.raises((PinWrong, PinExpired)):
            verify(old, now=NOW + timedelta(minutes=1))
    verify(new, now=NOW + timedelta(minutes=1))


def test_a_pin_is_good_only_for_its_purpose_and_subject():
    issue()
    code = pin_sent_to(PHONE)
    with pytest.raises(PinExpired):
        verify(code, subject="account:2")
    with pytest.raises(PinExpired):
        verify(code, purpose=OneTimePin.Purpose.ACTIVATION)
    verify(code)


def test_at_most_five_pins_an_hour_then_the_caller_is_told_when_to_come_back():
    for minute in range(5):
        issue(now=NOW + timedelta(minutes=minute))
    with pytest.raises(PinRateLimited) as limited:
        issue(now=NOW + timedelta(minutes=10))
    assert limited.value.retry_at == NOW + timedelta(hours=1)
    assert OutboundMessage.objects.count() == 5
    issue(now=NOW + timedelta(hours=1, seconds=1))
