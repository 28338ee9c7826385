"""Signing in from the app: register -> SMS PIN -> tokens for this device; login with password and
PIN; refresh bound to the device; logout of one device or all; tokens stored hashed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from saldo.api.models import ApiSession, ApiToken, AuthChallenge
from saldo.api.services import session_open, token_hash
from saldo.channels.models import OutboundMessage
from saldo.identity.models import MemberAccount, SecurityEvent
from tests.api.conftest import PASSWORD, ApiClient, sign_in
from tests.factories import pin_sent_to

PHONE = "+628154817745"


def registration(member, **changes) -> dict:
    person = member.person
    body = {
        "kpj": member.kpj,
        "nik": person.nik,
        "birth_date": person.birth_date.isoformat(),
        "name": "Neng Kurniasih",
        "mother_maiden_name": person.mother_maiden_name,
        "phone": "0815-4817-745",
        "email": "Neng@Example.com",
    }
    return {**body, **changes}


def activation(challenge: str, **changes) -> dict:
    body = {"challenge": challenge, "pin": pin_sent_to(PHONE), "password": PASSWORD, "device_id": "pixel-7a-3f9c",
            "device_name": "Pixel 7a"}
    return {**body, **changes}


# --- register -> PIN -> tokens ------------------------------------------------------------------


def test_registering_texts_a_pin_and_activating_with_it_returns_tokens_for_the_device(api, neng):
    started = api.post("/auth/register", registration(neng))
    assert started.status_code == 202
    assert started.json()["sent_to"] == "+62815****745"
    assert len(pin_sent_to(PHONE)) == 6

    done = api.post("/auth/activate", activation(started.json()["challenge"]))

    assert done.status_code == 201
    tokens = done.json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 15 * 60
    assert tokens["access_token"].startswith("sat_") and tokens["refresh_token"].startswith("srt_")
    assert ApiClient(tokens["access_token"]).get("/me").json()["name"] == "NENG KURNIASIH"
    assert MemberAccount.objects.get(person=neng.person).activated_at is not None
    session = ApiSession.objects.get()
    assert (session.device_id, session.device_name) == ("pixel-7a-3f9c", "Pixel 7a")


def test_registration_data_that_do_not_match_get_one_generic_refusal(api, neng):
    refused = api.post("/auth/register", registration(neng, nik="3278064710870099"))
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "registration_refused"
    assert MemberAccount.objects.count() == 0


def test_a_phone_with_too_many_failed_registrations_gets_429_until_the_lock_ends(api, neng, settings):
    settings.SALDO_CHANNELS = {**settings.SALDO_CHANNELS, "REGISTRATION_MAX_FAILURES": 2}
    for nik in ["3278064710870099", "3278064710870098"]:
        api.post("/auth/register", registration(neng, nik=nik))
    locked = api.post("/auth/register", registration(neng))
    assert locked.status_code == 429
    assert locked.json()["code"] == "registration_locked"
    assert 23 * 3600 < int(locked["Retry-After"]) <= 24 * 3600
    assert MemberAccount.objects.count() == 0


def test_a_badly_formed_registration_names_every_bad_field(api, neng):
    refused = api.post("/auth/register", registration(neng, nik="123", kpj="abc", birth_date="07-10-1987"))
    assert refused.status_code == 422
    assert sorted(e["field"] for e in refused.json()["errors"]) == ["birth_date", "kpj", "nik"]


def test_a_wrong_pin_says_how_many_tries_are_left_and_activates_nothing(api, neng):
    challenge = api.post("/auth/register", registration(neng)).json()["challenge"]
    right = pin_sent_to(PHONE)
    wrong = api.post("/auth/activate", activation(challenge, pin="000000" if right != "000000" else "111111"))
    assert wrong.status_code == 422
    assert (wrong.json()["code"], wrong.json()["remaining"]) == ("pin_wrong", 2)
    assert ApiSession.objects.count() == 0
    assert api.post("/auth/activate", activation(challenge)).status_code == 201


def test_a_challenge_works_once(api, neng):
    challenge = api.post("/auth/register", registration(neng)).json()["challenge"]
    assert api.post("/auth/activate", activation(challenge)).status_code == 201
    again = api.post("/auth/activate", activation(challenge, device_id="another"))
    assert (again.status_code, again.json()["code"]) == (401, "challenge_invalid")


def test_registering_someone_who_has_an_account_answers_like_a_new_registration(api, neng_in):
    """Identity data are no secret: the answer must not tell whether the KPJ has an account. The
    owner is told instead, and no PIN exists to activate anything with."""
    again = api.post("/auth/register", registration(neng_in.membership))
    assert (again.status_code, again.json()["sent_to"]) == (202, "+62815****745")
    assert SecurityEvent.objects.filter(kind="registration_again").count() == 1
    refused = api.post("/auth/activate", activation(again.json()["challenge"], pin="123456"))
    assert (refused.status_code, refused.json()["code"]) == (422, "pin_expired")


@pytest.mark.parametrize("changes", [{"phone": "081299990000"}, {"email": "penipu@example.com"}])
def test_a_phone_or_email_not_on_record_opens_nothing_and_the_owner_is_told(api, neng, changes):
    refused = api.post("/auth/register", registration(neng, **changes))
    assert (refused.status_code, refused.json()["code"]) == (409, "contact_not_on_record")
    assert "ajukan perubahan data kontak" in refused.json()["detail"]
    assert MemberAccount.objects.count() == 0
    assert not OutboundMessage.objects.filter(to="+6281299990000").exists()
    assert OutboundMessage.objects.get(to=PHONE).text.startswith("Saldo: ada yang mendaftarkan akun atas nama Anda")


def test_the_mothers_name_is_asked_and_checked(api, neng):
    body = registration(neng)
    del body["mother_maiden_name"]
    assert api.post("/auth/register", body).status_code == 422
    wrong = api.post("/auth/register", registration(neng, mother_maiden_name="SRI"))
    assert (wrong.status_code, wrong.json()["code"]) == (422, "registration_refused")


# --- login with email, password and PIN -----------------------------------------------------------


def test_login_needs_the_password_then_the_pin_texted_to_the_member(api, neng):
    signed_in = sign_in(neng, email="neng@example.com", phone=PHONE, device_id="tablet")
    assert signed_in.api.get("/cards").status_code == 200


def test_a_wrong_password_gets_the_same_401_as_an_unknown_email(api, neng_in):
    wrong = api.post("/auth/login", {"email": "neng@example.com", "password": "salah-sekali-123"})
    unknown = api.post("/auth/login", {"email": "nobody@example.com", "password": "salah-sekali-123"})
    assert (wrong.status_code, wrong.json()["code"]) == (unknown.status_code, unknown.json()["code"]) == (
        401, "login_refused")
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_five_failed_logins_from_one_address_lock_it_with_retry_after(api, neng_in):
    for _n in range(5):
        api.post("/auth/login", {"email": "neng@example.com", "password": "salah-sekali-123"})
    locked = api.post("/auth/login", {"email": "neng@example.com", "password": PASSWORD})
    assert (locked.status_code, locked.json()["code"]) == (429, "login_locked")
    assert 0 < int(locked["Retry-After"]) <= 15 * 60


def test_the_login_pin_is_checked(api, neng_in):
    challenge = api.post("/auth/login", {"email": neng_in.email, "password": PASSWORD}).json()["challenge"]
    right = pin_sent_to(PHONE)
    wrong = api.post("/auth/login/verify", {"challenge": challenge, "pin": "999999" if right != "999999" else "888888",
                                            "device_id": "tablet"})
    assert (wrong.status_code, wrong.json()["code"]) == (422, "pin_wrong")
    ok = api.post("/auth/login/verify", {"challenge": challenge, "pin": right, "device_id": "tablet"})
    assert ok.status_code == 201


def test_a_login_challenge_is_not_an_activation_challenge(api, neng_in):
    challenge = api.post("/auth/login", {"email": neng_in.email, "password": PASSWORD}).json()["challenge"]
    wrong_step = api.post("/auth/activate", activation(challenge))
    assert (wrong_step.status_code, wrong_step.json()["code"]) == (401, "challenge_invalid")


# --- tokens ---------------------------------------------------------------------------------------


def test_tokens_and_challenges_are_stored_only_as_hashes(neng_in):
    stored = list(ApiToken.objects.values_list("token_hash", flat=True))
    assert token_hash(neng_in.access) in stored and token_hash(neng_in.refresh) in stored
    everything = " ".join(
        [*stored, *AuthChallenge.objects.values_list("challenge_hash", flat=True)]
    )
    assert neng_in.access not in everything and neng_in.refresh not in everything
    assert all(len(h) == 64 for h in stored)


def test_no_token_a_wrong_token_or_another_scheme_gets_401_with_www_authenticate(api, neng_in):
    for headers in ({}, {"token": "sat_made-up"}, {"token": neng_in.refresh}):
        answer = api.get("/me", **headers)
        assert (answer.status_code, answer.json()["code"]) == (401, "unauthorized")
        assert answer["WWW-Authenticate"].startswith("Bearer")
    basic = api.client.get("/api/v1/me", headers={"Authorization": f"Basic {neng_in.access}"})
    assert basic.status_code == 401


def test_an_expired_access_token_gets_401(neng_in):
    account = MemberAccount.objects.get(person=neng_in.membership.person)
    old = session_open(account=account, device_id="old-phone", device_name="", now=timezone.now() - timedelta(
        minutes=16))
    answer = ApiClient(old.access_token).get("/me")
    assert (answer.status_code, answer.json()["code"]) == (401, "unauthorized")


def test_refresh_gives_a_new_pair_and_spends_the_old_refresh_token(api, neng_in):
    fresh = api.post("/auth/refresh", {"refresh_token": neng_in.refresh, "device_id": neng_in.device_id})
    assert fresh.status_code == 200
    pair = fresh.json()
    assert pair["refresh_token"] != neng_in.refresh
    assert ApiClient(pair["access_token"]).get("/me").status_code == 200
    again = api.post("/auth/refresh", {"refresh_token": pair["refresh_token"], "device_id": neng_in.device_id})
    assert again.status_code == 200


def test_a_refresh_token_works_only_from_its_device(api, neng_in):
    stolen = api.post("/auth/refresh", {"refresh_token": neng_in.refresh, "device_id": "attacker-phone"})
    assert (stolen.status_code, stolen.json()["code"]) == (401, "token_invalid")


def test_a_spent_refresh_token_used_again_revokes_the_session(api, neng_in):
    pair = api.post("/auth/refresh", {"refresh_token": neng_in.refresh, "device_id": neng_in.device_id}).json()
    replay = api.post("/auth/refresh", {"refresh_token": neng_in.refresh, "device_id": neng_in.device_id})
    assert replay.status_code == 401
    # Whoever held the new pair is out too: the leak ends the session.
    assert ApiClient(pair["access_token"]).get("/me").status_code == 401
    assert api.post("/auth/refresh", {"refresh_token": pair["refresh_token"], "device_id": neng_in.device_id}
                    ).status_code == 401


def test_an_expired_refresh_token_gets_401(api, neng_in, settings):
    account = MemberAccount.objects.get(person=neng_in.membership.person)
    old = session_open(account=account, device_id="old-phone", device_name="", now=timezone.now() - timedelta(
        days=31))
    answer = api.post("/auth/refresh", {"refresh_token": old.refresh_token, "device_id": "old-phone"})
    assert answer.status_code == 401


# --- logout ------------------------------------------------------------------------------------


def test_logout_ends_this_device_only(api, neng_in):
    other = sign_in(neng_in.membership, email=neng_in.email, phone=PHONE, device_id="tablet")
    assert neng_in.api.post("/auth/logout").status_code == 204
    assert neng_in.api.get("/me").status_code == 401
    assert api.post("/auth/refresh", {"refresh_token": neng_in.refresh, "device_id": neng_in.device_id}
                    ).status_code == 401
    assert other.api.get("/me").status_code == 200


def test_logout_all_ends_every_device(api, neng_in):
    other = sign_in(neng_in.membership, email=neng_in.email, phone=PHONE, device_id="tablet")
    assert neng_in.api.post("/auth/logout-all").status_code == 204
    for device in (neng_in, other):
        assert device.api.get("/me").status_code == 401
        assert api.post("/auth/refresh", {"refresh_token": device.refresh, "device_id": device.device_id}
                        ).status_code == 401


def test_the_member_sees_their_devices_and_can_log_one_out(neng_in):
    other = sign_in(neng_in.membership, email=neng_in.email, phone=PHONE, device_id="tablet")
    listed = neng_in.api.get("/auth/devices").json()
    assert sorted((d["device_id"], d["current"]) for d in listed) == [("phone-1", True), ("tablet", False)]
    assert neng_in.api.delete("/auth/devices/tablet").status_code == 204
    assert other.api.get("/me").status_code == 401
    assert neng_in.api.delete("/auth/devices/tablet").status_code == 404


def test_logging_in_again_on_the_same_device_replaces_its_session(neng_in):
    again = sign_in(neng_in.membership, email=neng_in.email, phone=PHONE, device_id=neng_in.device_id)
    assert neng_in.api.get("/me").status_code == 401
    assert again.api.get("/me").status_code == 200
    assert ApiSession.objects.filter(revoked_at__isnull=True).count() == 1


def test_a_disabled_user_is_out_at_once(neng_in):
    account = MemberAccount.objects.get(person=neng_in.membership.person)
    account.user.is_active = False
    account.user.save()
    assert neng_in.api.get("/me").status_code == 401


@pytest.mark.parametrize("path", ["/auth/logout", "/auth/logout-all"])
def test_logout_without_a_token_is_401(api, path):
    assert api.post(path).status_code == 401


def test_failures_from_elsewhere_slow_the_email_and_a_pin_to_the_phone_on_record_lets_the_owner_in(api, neng_in):
    for n in range(5):  # five addresses
        ApiClient().client.post("/api/v1/auth/login", {"email": "neng@example.com", "password": "salah-sekali-123"},
                                content_type="application/json", REMOTE_ADDR=f"10.9.9.{n}")
    slowed = ApiClient().client.post("/api/v1/auth/login", {"email": "neng@example.com", "password": PASSWORD},
                                     content_type="application/json", REMOTE_ADDR="10.0.0.1")
    assert (slowed.status_code, slowed.json()["code"]) == (429, "login_slowed")
    assert 0 < int(slowed["Retry-After"]) <= 30
    sent = api.post("/auth/login/pin", {"email": "neng@example.com"})
    unknown = api.post("/auth/login/pin", {"email": "nobody@example.com"})
    assert sent.status_code == unknown.status_code == 202 and sent.json() == unknown.json()
    tokens = api.post("/auth/login/pin/verify", {"email": "neng@example.com", "pin": pin_sent_to(PHONE),
                                                 "password": PASSWORD, "device_id": "tablet"})
    assert tokens.status_code == 201 and tokens.json()["access_token"].startswith("sat_")
