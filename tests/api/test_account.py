"""Account settings from the app: a new password (other devices logged out), a new phone or email in
three steps (password, PIN to the phone on record, PIN to the new contact), bound numbers."""

import re

import pytest
from django.core import mail

from saldo.api.models import ApiSession
from saldo.audit.models import Disclosure
from saldo.channels.models import OutboundMessage
from saldo.identity.models import LoginFailure, PhoneBinding, PhoneBindingEnded, SecurityEvent
from saldo.registry.models import Person
from tests.api.conftest import PASSWORD, ApiClient, sign_in
from tests.factories import bind_phone, pin_sent_to

PHONE = "+628154817745"  # Neng's, on record
EMAIL = "neng@example.com"
NEW_PHONE = "+6285711112222"
NEW_EMAIL = "neng.baru@example.com"
NEW_PASSWORD = "Saldo-baru-2027!"
Kind = SecurityEvent.Kind


@pytest.fixture
def delivered(settings, django_capture_on_commit_callbacks):
    """Run what waits for the commit (mail, sends), with SMS going nowhere: `with delivered(): ...`."""
    settings.SALDO_TRANSPORTS = {"sms": "tests.factories.transport_dropped",
                                 "whatsapp": "tests.factories.transport_dropped"}
    return lambda: django_capture_on_commit_callbacks(execute=True)


def texts_to(phone: str) -> list[str]:
    return list(OutboundMessage.objects.filter(to=phone).order_by("id").values_list("text", flat=True))


def wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def kinds(person) -> list[str]:
    return list(SecurityEvent.objects.filter(person=person).order_by("id").values_list("kind", flat=True))


# --- password ------------------------------------------------------------------------------------------


def test_a_new_password_keeps_this_device_and_logs_the_others_out(neng, neng_in):
    tablet = sign_in(neng, email=EMAIL, phone=PHONE, device_id="tablet")

    changed = neng_in.api.post("/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert changed.status_code == 204
    assert neng_in.api.get("/me").status_code == 200
    assert tablet.api.get("/me").status_code == 401
    assert list(ApiSession.objects.filter(revoked_at__isnull=True).values_list("device_id", flat=True)) == [
        neng_in.device_id]
    assert kinds(neng.person)[-1] == Kind.PASSWORD_CHANGED
    login = ApiClient().post("/auth/login", {"email": EMAIL, "password": NEW_PASSWORD})
    assert login.status_code == 202


def test_a_wrong_current_password_is_a_field_problem_and_counts_as_a_failed_log_in(neng_in):
    refused = neng_in.api.post("/account/password", {"current_password": "salah-sekali-123",
                                                     "new_password": NEW_PASSWORD})
    assert refused.status_code == 422
    assert refused.json()["code"] == "password_wrong"
    assert refused.json()["errors"] == [{"field": "current_password", "message": "kata sandi salah"}]
    assert LoginFailure.objects.count() == 1


def test_after_five_wrong_passwords_changes_wait_with_retry_after(neng_in):
    for _ in range(5):
        neng_in.api.post("/account/password", {"current_password": "salah-sekali-123", "new_password": NEW_PASSWORD})
    locked = neng_in.api.post("/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert locked.status_code == 429
    assert locked.json()["code"] == "reauth_locked"
    assert int(locked["Retry-After"]) > 0


def test_a_weak_new_password_is_refused_in_english_when_asked(neng_in):
    weak = neng_in.api.post("/account/password", {"current_password": PASSWORD, "new_password": PASSWORD})
    assert weak.status_code == 422
    assert weak.json()["errors"] == [{"field": "new_password", "message": "kata sandi baru sama dengan yang lama"}]
    english = ApiClient(neng_in.access, language="en").post(
        "/account/password", {"current_password": "salah-sekali-123", "new_password": NEW_PASSWORD})
    assert english.json()["errors"] == [{"field": "current_password", "message": "wrong password"}]


# --- a new phone -------------------------------------------------------------------------------------


def test_a_new_phone_in_three_steps_ends_the_old_phones_bindings_and_tells_both_numbers(neng, neng_in, delivered):
    bind_phone(neng, PHONE)

    first = neng_in.api.post("/account/phone", {"password": PASSWORD, "phone": "0857-1111-2222"})
    assert first.status_code == 202
    assert first.json()["sent_to"] == "+62815****745"
    assert first.json()["next"] == "/api/v1/account/phone/confirm-old"
    assert texts_to(NEW_PHONE) == []

    second = neng_in.api.post("/account/phone/confirm-old", {"phone": "0857-1111-2222", "pin": pin_sent_to(PHONE)})
    assert second.status_code == 202
    assert (second.json()["sent_to"], second.json()["next"]) == ("+62857*****222",
                                                                 "/api/v1/account/phone/confirm-new")

    with delivered():
        done = neng_in.api.post("/account/phone/confirm-new", {"phone": NEW_PHONE, "pin": pin_sent_to(NEW_PHONE)})

    assert done.status_code == 204
    assert neng_in.api.get("/me").json()["phone"] == NEW_PHONE
    assert not PhoneBinding.objects.exists()
    assert list(PhoneBindingEnded.objects.values_list("phone", "reason")) == [(PHONE, "contact_change")]
    assert texts_to(PHONE)[-1] == texts_to(NEW_PHONE)[-1]
    assert texts_to(PHONE)[-1].startswith("Saldo: nomor ponsel tercatat diganti ke +62857*****222, ")
    assert "lewat aplikasi" in texts_to(PHONE)[-1]


def test_a_wrong_or_spent_pin_changes_nothing(neng, neng_in):
    neng_in.api.post("/account/phone", {"password": PASSWORD, "phone": NEW_PHONE})
    pin = pin_sent_to(PHONE)
    bad = neng_in.api.post("/account/phone/confirm-old", {"phone": NEW_PHONE, "pin": wrong(pin)})
    assert (bad.status_code, bad.json()["code"], bad.json()["remaining"]) == (422, "pin_wrong", 2)
    # The PIN of the old phone is no PIN for the new one.
    early = neng_in.api.post("/account/phone/confirm-new", {"phone": NEW_PHONE, "pin": pin})
    assert (early.status_code, early.json()["code"]) == (422, "pin_expired")
    assert Person.objects.get(id=neng.person_id).phone == PHONE


def test_a_wrong_password_sends_no_pin(neng_in):
    before = len(texts_to(PHONE))
    refused = neng_in.api.post("/account/phone", {"password": "salah-sekali-123", "phone": NEW_PHONE})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "password", "message": "kata sandi salah"}]
    assert len(texts_to(PHONE)) == before


def test_another_members_phone_on_record_is_refused(neng_in, bagus):
    refused = neng_in.api.post("/account/phone", {"password": PASSWORD, "phone": "08387045279"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "phone", "message": "nomor ini tercatat untuk peserta lain dan tidak dapat dipakai"}]


# --- a new email -------------------------------------------------------------------------------------


def test_a_new_email_becomes_the_login_and_both_addresses_are_told(neng, neng_in, delivered):
    assert neng_in.api.post("/account/email", {"password": PASSWORD, "email": NEW_EMAIL}).status_code == 202
    with delivered():
        second = neng_in.api.post("/account/email/confirm-old", {"email": NEW_EMAIL, "pin": pin_sent_to(PHONE)})
    assert second.json()["sent_to"] == "n***@example.com"
    [message] = mail.outbox
    pin = re.search(r"\b(\d{6})\b", message.body).group(1)
    mail.outbox.clear()

    with delivered():
        done = neng_in.api.post("/account/email/confirm-new", {"email": NEW_EMAIL, "pin": pin})

    assert done.status_code == 204
    assert neng_in.api.get("/me").json()["email"] == NEW_EMAIL
    assert sorted(m.to[0] for m in mail.outbox) == [NEW_EMAIL, EMAIL]
    assert ApiClient().post("/auth/login", {"email": NEW_EMAIL, "password": PASSWORD}).status_code == 202
    assert ApiClient().post("/auth/login", {"email": EMAIL, "password": PASSWORD}).status_code == 401


def test_an_email_that_is_another_accounts_login_is_refused(neng_in, bagus_in):
    refused = neng_in.api.post("/account/email", {"password": PASSWORD, "email": "Bagus@Example.com"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "email", "message": "email ini sudah dipakai akun lain untuk masuk"}]


# --- bound numbers -------------------------------------------------------------------------------------


def test_bound_numbers_are_listed_masked_but_the_own_one_and_one_is_ended(neng, neng_in, bagus):
    own = bind_phone(neng, PHONE)
    other = bind_phone(neng, "+6289900001111", channel="whatsapp")
    bagus_binding = bind_phone(bagus, "+628387045279")

    listed = neng_in.api.get("/account/bindings")

    assert listed.status_code == 200
    assert [(b["id"], b["phone"], b["own"], b["kpj"], b["channel"]) for b in listed.json()] == [
        (other.id, "+62899*****111", False, "68516716147", "whatsapp"),
        (own.id, PHONE, True, "68516716147", "sms"),
    ]
    assert Disclosure.objects.filter(channel="api", what="bindings", kpj="68516716147").count() == 1

    assert neng_in.api.delete(f"/account/bindings/{other.id}").status_code == 204
    assert [b["id"] for b in neng_in.api.get("/account/bindings").json()] == [own.id]
    assert kinds(neng.person)[-1] == Kind.BINDINGS_ENDED
    gone = neng_in.api.delete(f"/account/bindings/{other.id}")
    theirs = neng_in.api.delete(f"/account/bindings/{bagus_binding.id}")
    assert (gone.status_code, theirs.status_code) == (404, 404)
    assert gone.json() == theirs.json()
    assert PhoneBinding.objects.filter(id=bagus_binding.id).exists()


def test_a_binding_id_too_large_for_any_row_is_refused_as_invalid(neng_in):
    assert neng_in.api.delete(f"/account/bindings/{2**64}").status_code == 422


def test_account_settings_need_a_token(api):
    assert api.get("/account/bindings").status_code == 401
    assert api.post("/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}).status_code \
        == 401
