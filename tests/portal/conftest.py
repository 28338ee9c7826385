"""A member as the registry knows her, with iuran up to last month and one month missing, and
the settings the portal's tests run with (no SMS gateway: the outbox keeps the PINs)."""

from datetime import date

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.utils import timezone

from saldo.core.periods import add_months, format_period, month_start
from saldo.registry.models import Person
from tests.factories import make_account, make_employer, make_member, pin_sent_to, post_contribution

PHONE = "+628154817745"
EMAIL = "neng@example.com"
PASSWORD = "rahasia-Saldo-2026"
WAGE = 5_000_000
# Months before this month with iuran; the one at GAP_MONTHS_AGO is missing (a gap).
PAID_MONTHS = 14
GAP_MONTHS_AGO = 6


class QuickArgon2(Argon2PasswordHasher):
    """Still Argon2 (hashes start with "argon2"), with a small memory cost: each login here would
    otherwise spend ~100 MB and most of a second, over and over."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


@pytest.fixture(autouse=True)
def portal_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["tests.portal.conftest.QuickArgon2"]
    # No Kannel here: the SMS stays queued in the outbox, where pin_sent_to reads it.
    settings.SALDO_TRANSPORTS = {"sms": "tests.factories.transport_dropped"}
    # Cards are signed with a key made for the test, never with one under data/.
    settings.SALDO_API = {**settings.SALDO_API, "CARD_SIGNING_KEY": "", "CARD_KEY_FILE": tmp_path / "card-key.pem"}



def months_ago(n: int) -> str:
    return format_period(add_months(month_start(timezone.localdate()), -n))


@pytest.fixture
def member():
    """NENG KURNIASIH, one KPJ since 14 months ago, iuran every month but one."""
    membership = make_member(
        kpj="68516716147",
        name="NENG KURNIASIH",
        birth_date=date(1987, 10, 7),
        sex="F",
        start_date=date.fromisoformat(months_ago(PAID_MONTHS) + "-01"),
        employer=make_employer(npp="93349474", name="PT PRIMA SUKSES"),
        phone=PHONE,
    )
    for n in range(1, PAID_MONTHS + 1):
        if n != GAP_MONTHS_AGO:
            post_contribution(membership, months_ago(n), WAGE)
    Person.objects.filter(id=membership.person_id).update(email=EMAIL)  # her contacts on record: PHONE, EMAIL
    membership.person.refresh_from_db()
    return membership


@pytest.fixture
def account(member):
    return make_account(member, email=EMAIL, password=PASSWORD, phone=PHONE, now=timezone.now())


@pytest.fixture
def logged_in(client, account):
    client.force_login(account.user)
    return client


def registration_data(member, **changes) -> dict:
    person = member.person
    data = {
        "kpj": member.kpj,
        "name": person.name,
        "birth_date": person.birth_date.strftime("%d-%m-%Y"),
        "nik": person.nik,
        "mother_maiden_name": person.mother_maiden_name,
        "phone": "0815-4817-745",
        "email": EMAIL,
    }
    return {**data, **changes}


def last_pin() -> str:
    return pin_sent_to(PHONE)
