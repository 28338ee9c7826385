"""Rate limits per token and per client IP, answered 429 with Retry-After."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from saldo.api.models import RateCounter
from saldo.api.ratelimit import Limit, RateLimited, rate_hit
from tests.api.conftest import PASSWORD, sign_in

# The tests through HTTP read the real clock: a window of ~31 years never ends between two of
# their requests (the next boundary is in 2033), so they cannot straddle one.
LONG = 10**9


@pytest.fixture
def limits(api_settings, settings):
    def set_limits(**rates):
        settings.SALDO_API = {**settings.SALDO_API, **{name: (n, LONG) for name, n in rates.items()}}

    return set_limits


# --- the counter, on a given clock -------------------------------------------------------------------


T0 = datetime(2026, 11, 26, 3, 0, 0, tzinfo=UTC)  # the start of a minute


def test_requests_within_the_limit_pass_and_the_next_waits_for_the_window_to_end():
    minute = Limit(2, 60)
    rate_hit(bucket="token:1", limit=minute, now=T0)
    rate_hit(bucket="token:1", limit=minute, now=T0 + timedelta(seconds=10))
    with pytest.raises(RateLimited) as refused:
        rate_hit(bucket="token:1", limit=minute, now=T0 + timedelta(seconds=15, milliseconds=500))
    assert refused.value.retry_after == 45  # 44.5 s left, rounded up
    rate_hit(bucket="token:1", limit=minute, now=T0 + timedelta(seconds=60))  # a new window


def test_buckets_are_counted_apart():
    one = Limit(1, 60)
    rate_hit(bucket="token:1", limit=one, now=T0)
    rate_hit(bucket="token:2", limit=one, now=T0)
    with pytest.raises(RateLimited):
        rate_hit(bucket="token:1", limit=one, now=T0)


def test_retry_after_is_at_least_a_second():
    one = Limit(1, 60)
    rate_hit(bucket="ip:1.1.1.1", limit=one, now=T0 + timedelta(seconds=59, milliseconds=900))
    with pytest.raises(RateLimited) as refused:
        rate_hit(bucket="ip:1.1.1.1", limit=one, now=T0 + timedelta(seconds=59, milliseconds=950))
    assert refused.value.retry_after == 1


# --- through HTTP ------------------------------------------------------------------------------------


def test_a_token_over_its_limit_gets_429_with_retry_after(neng_in, limits):
    limits(TOKEN_RATE=3)
    assert [neng_in.api.get("/cards").status_code for _n in range(3)] == [200, 200, 200]
    refused = neng_in.api.get("/cards")
    assert (refused.status_code, refused["Content-Type"], refused.json()["code"]) == (
        429, "application/problem+json", "rate_limited")
    assert 1 <= int(refused["Retry-After"]) <= LONG
    assert refused.json()["retry_after"] == int(refused["Retry-After"])


def test_the_token_limit_is_per_session_and_survives_a_refresh(neng_in, bagus_in, api, limits):
    limits(TOKEN_RATE=2)
    for _n in range(2):
        neng_in.api.get("/cards")
    assert neng_in.api.get("/cards").status_code == 429
    assert bagus_in.api.get("/cards").status_code == 200  # another member's token has its own count
    fresh = api.post("/auth/refresh", {"refresh_token": neng_in.refresh, "device_id": neng_in.device_id}).json()
    assert api.get("/cards", token=fresh["access_token"]).status_code == 429


def test_a_client_ip_over_its_limit_gets_429_even_with_made_up_tokens(api, limits):
    limits(IP_RATE=5)
    answers = [api.get("/me", token=f"sat_guess-{n}").status_code for n in range(7)]
    assert answers == [401] * 5 + [429] * 2


def test_the_ip_limit_is_per_address(api, limits, neng_in):
    limits(IP_RATE=2)
    for _n in range(2):
        api.client.get("/api/v1/me", REMOTE_ADDR="10.0.0.1")
    assert api.client.get("/api/v1/me", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert api.client.get("/api/v1/me", REMOTE_ADDR="10.0.0.2").status_code == 401


def test_registration_and_login_have_a_tighter_per_ip_limit(api, limits):
    limits(AUTH_IP_RATE=3)
    answers = [api.post("/auth/login", {"email": f"x{n}@example.com", "password": "x"}).status_code for n in range(4)]
    assert answers == [401, 401, 401, 429]
    assert api.get("/digital-card/public-key").status_code == 200  # not an auth endpoint
    # Refreshing guesses nothing (a token is 256 random bits) and is what every phone does every
    # 15 minutes behind a carrier's shared IP: only the general limit applies.
    assert api.post("/auth/refresh", {"refresh_token": "srt_x", "device_id": "d"}).status_code == 401


def test_behind_a_proxy_the_forwarded_address_counts(api, limits, settings):
    limits(IP_RATE=1)
    settings.SALDO_API = {**settings.SALDO_API, "PROXY_COUNT": 1}

    def get(client_ip):
        return api.client.get("/api/v1/me", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.6, {client_ip}")

    assert [get("1.2.3.4").status_code, get("1.2.3.4").status_code, get("5.6.7.8").status_code] == [401, 429, 401]


def test_counters_of_past_windows_are_cleared(api, limits):
    RateCounter.objects.create(bucket="ip:9.9.9.9", window_start=0, hits=5)
    api.get("/digital-card/public-key")
    assert not RateCounter.objects.filter(window_start=0).exists()


def test_a_new_token_after_the_limit_is_a_new_session_count(neng_in, limits):
    limits(TOKEN_RATE=1)
    neng_in.api.get("/cards")
    assert neng_in.api.get("/cards").status_code == 429
    other_device = sign_in(neng_in.membership, email=neng_in.email, phone="+628154817745", device_id="tablet")
    assert other_device.api.get("/cards").status_code == 200


# --- failed logins per client address (beside identity's lockout per email) -----------------------


def login_from(api, address: str, email: str, password: str = "salah-sekali-123", language: str | None = None):
    headers = {"Accept-Language": language} if language else {}
    return api.client.post("/api/v1/auth/login", {"email": email, "password": password},
                           content_type="application/json", REMOTE_ADDR=address, headers=headers)


@pytest.fixture
def login_failures(api_settings, settings):
    settings.SALDO_API = {**settings.SALDO_API, "LOGIN_FAILURES_PER_CLIENT": 3, "LOGIN_WINDOW_MINUTES": 15}


def test_failed_logins_from_one_address_get_429_whatever_the_email(api, neng_in, login_failures):
    # Three different emails: identity's lockout per email never triggers, this count does.
    answers = [login_from(api, "10.3.3.3", f"tebak{n}@example.com").status_code for n in range(3)]
    assert answers == [401, 401, 401]
    refused = login_from(api, "10.3.3.3", neng_in.email, PASSWORD)  # even the right password waits
    assert (refused.status_code, refused["Content-Type"]) == (429, "application/problem+json")
    body = refused.json()
    assert (body["code"], body["detail"]) == ("login_throttled", "Terlalu banyak percobaan masuk yang gagal dari "
                                              "alamat jaringan ini. Silakan coba lagi dalam 15 menit.")
    assert 14 * 60 < int(refused["Retry-After"]) <= 15 * 60
    assert body["retry_after"] == int(refused["Retry-After"])
    # Another address is not held back, and the right password there is no failure.
    assert login_from(api, "10.3.3.4", neng_in.email, PASSWORD).status_code == 202


def test_the_message_is_english_when_asked(api, login_failures):
    for n in range(3):
        login_from(api, "10.3.3.5", f"tebak{n}@example.com")
    refused = login_from(api, "10.3.3.5", "tebak@example.com", language="en")
    assert refused.json()["detail"] == (
        "Too many failed log-ins from this network address. Please try again in 15 minutes.")


def test_successful_logins_are_not_counted(api, neng_in, login_failures):
    # Four successes, over the limit of three failures (and within the five login PINs an hour).
    answers = [login_from(api, "10.3.3.6", neng_in.email, PASSWORD).status_code for _n in range(4)]
    assert answers == [202] * 4


def test_the_count_ends_with_its_window(api, neng_in, login_failures, time_machine):
    for n in range(3):
        login_from(api, "10.3.3.7", f"tebak{n}@example.com")
    assert login_from(api, "10.3.3.7", neng_in.email, PASSWORD).status_code == 429
    time_machine.move_to(timezone.now() + timedelta(minutes=15, seconds=1), tick=True)
    assert login_from(api, "10.3.3.7", neng_in.email, PASSWORD).status_code == 202


def test_behind_a_proxy_the_forwarded_address_is_the_one_counted(api, neng_in, login_failures, settings):
    settings.SALDO_API = {**settings.SALDO_API, "PROXY_COUNT": 1}

    def login(client_ip: str, email: str, password: str = "salah-sekali-123"):
        return api.client.post("/api/v1/auth/login", {"email": email, "password": password},
                               content_type="application/json", REMOTE_ADDR="127.0.0.1",
                               HTTP_X_FORWARDED_FOR=client_ip)

    for n in range(3):
        login("1.2.3.4", f"tebak{n}@example.com")
    assert login("1.2.3.4", neng_in.email, PASSWORD).status_code == 429
    assert login("5.6.7.8", neng_in.email, PASSWORD).status_code == 202  # same proxy, another client


def test_the_api_and_the_portal_count_apart(api, client, neng_in, login_failures, settings):
    settings.SALDO_PORTAL = {**settings.SALDO_PORTAL, "LOGIN_FAILURES_PER_CLIENT": 3}
    for n in range(3):
        login_from(api, "10.3.3.8", f"tebak{n}@example.com")
    portal = client.post("/masuk/", {"email": "tebak@example.com", "password": "x"}, REMOTE_ADDR="10.3.3.8")
    assert "Terlalu banyak percobaan" not in portal.content.decode()


def test_the_throttle_keeps_no_address_in_clear(api, login_failures):
    from saldo.core.models import Attempt

    login_from(api, "10.3.3.9", "tebak@example.com")
    assert Attempt.objects.filter(kind="api_login").count() == 1
    assert not Attempt.objects.filter(key__contains="10.3.3.9").exists()
