"""An API client that talks JSON like the app does, and members signed in through the API itself."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from saldo.core.periods import add_months, format_period, month_start
from saldo.registry.models import Person
from tests.factories import make_account, make_member, pin_sent_to, post_contribution

PASSWORD = "rahasia-Saldo-2026"


@pytest.fixture(autouse=True)
def api_settings(settings, tmp_path):
    """A card key of the test's own; limits far above what a test sends unless it lowers them.

    Passwords are hashed with a fast hasher here: Argon2 costs a second per hash on a CI box and
    these tests sign in hundreds of times; identity's own tests run with the configured Argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SALDO_API = {
        **settings.SALDO_API,
        "CARD_SIGNING_KEY": "",
        "CARD_KEY_FILE": tmp_path / "card-key.pem",
        "TOKEN_RATE": (10_000, 60),
        "IP_RATE": (10_000, 60),
        "AUTH_IP_RATE": (10_000, 60),
        "LOGIN_FAILURES_PER_CLIENT": 10_000,
    }
    return settings.SALDO_API


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    """Claim documents the test's requests store go to a private folder of the test's own."""
    root = tmp_path / "claim-documents"
    settings.SALDO_CLAIMS = {**settings.SALDO_CLAIMS, "DOCUMENT_ROOT": root}
    return root


@pytest.fixture(autouse=True)
def _language_restored():
    """LocaleMiddleware activates the request's language in this thread and leaves it there; a
    request in English must not make the next test's messages English."""
    before = translation.get_language()
    yield
    if before:
        translation.activate(before)
    else:
        translation.deactivate()


class ApiClient:
    """JSON in, JSON out, with an optional bearer token and language."""

    def __init__(self, token: str | None = None, language: str | None = None):
        self.client = Client()
        self.token = token
        self.language = language

    def _headers(self, token: str | None, language: str | None) -> dict:
        headers = {}
        token = token if token is not None else self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if language or self.language:
            headers["Accept-Language"] = language or self.language
        return headers

    def get(self, path: str, *, token: str | None = None, language: str | None = None, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self._headers(token, language))

    def post(self, path: str, body: dict | None = None, *, token: str | None = None, language: str | None = None):
        return self.client.post(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=self._headers(token, language)
        )

    def post_form(self, path: str, data: dict, *, token: str | None = None, language: str | None = None):
        """multipart/form-data, as the app sends files: lists become repeated fields, files are
        (name, bytes) pairs."""
        fields = {name: [SimpleUploadedFile(*item) if isinstance(item, tuple) else item for item in value]
                  if isinstance(value, list) else value for name, value in data.items() if value is not None}
        return self.client.post(f"/api/v1{path}", fields, headers=self._headers(token, language))

    def delete(self, path: str, *, token: str | None = None):
        return self.client.delete(f"/api/v1{path}", headers=self._headers(token, None))


@pytest.fixture
def api():
    return ApiClient()


@dataclass
class SignedIn:
    membership: object
    access: str
    refresh: str
    device_id: str
    email: str

    @property
    def api(self) -> ApiClient:
        return ApiClient(self.access)


def sign_in(
    membership, *, email: str, phone: str, device_id: str = "phone-1", device_name: str = "Test phone"
) -> SignedIn:
    """Log in through the API (password, then the SMS PIN), creating the account first if needed."""
    from saldo.identity.models import MemberAccount

    if not MemberAccount.objects.filter(person=membership.person).exists():
        make_account(membership, email=email, phone=phone, password=PASSWORD)
    client = ApiClient()
    challenge = client.post("/auth/login", {"email": email, "password": PASSWORD}).json()["challenge"]
    body = {"challenge": challenge, "pin": pin_sent_to(phone), "device_id": device_id, "device_name": device_name}
    tokens = client.post("/auth/login/verify", body).json()
    return SignedIn(membership, tokens["access_token"], tokens["refresh_token"], device_id, email)


def months_ago(n: int) -> date:
    """The first day of the month `n` months before this one (the API reads today's date)."""
    return add_months(month_start(timezone.localdate()), -n)


@pytest.fixture
def neng():
    """Demo member 1: one KPJ, aktif, no gaps: iuran every month for two years up to last month."""
    membership = make_member(kpj="68516716147", name="NENG KURNIASIH", birth_date=date(1987, 10, 7),
                             start_date=months_ago(24), phone="+628154817745")
    Person.objects.filter(id=membership.person_id).update(email="neng@example.com")  # on record
    membership.person.refresh_from_db()
    for n in range(24, 0, -1):
        post_contribution(membership, format_period(months_ago(n)), 4_500_000)
    return membership


@pytest.fixture
def neng_in(neng):
    return sign_in(neng, email="neng@example.com", phone="+628154817745")


@pytest.fixture
def bagus():
    """Demo member 3: one KPJ, non-aktif, months without iuran: of the ten months from its start
    only the 1st, 2nd and 4th were paid."""
    membership = make_member(kpj="55465628384", name="BAGUS HARTONO", sex="M", birth_date=date(1986, 11, 23),
                             start_date=months_ago(10), phone="+628387045279")
    Person.objects.filter(id=membership.person_id).update(email="bagus@example.com")  # on record
    membership.person.refresh_from_db()
    for n in (10, 9, 7):
        post_contribution(membership, format_period(months_ago(n)), 3_000_000)
    return membership


@pytest.fixture
def bagus_in(bagus):
    return sign_in(bagus, email="bagus@example.com", phone="+628387045279")
