"""The member's own data through the API: person, cards, balances, statements, iuran, digital card."""

from datetime import date

import pytest
from django.utils import timezone

from saldo.audit.models import Disclosure
from saldo.cards.verification import card_verify
from saldo.statements.selectors import balance_summary_get
from tests.api.conftest import sign_in
from tests.factories import make_employer, make_member, post_contribution

# The API reads today's date, so these tests name it: a day after the 15th, when last month's iuran
# is due (the fixtures' iuran is dated relative to it: bagus's card starts in January 2026).
TODAY = date(2026, 11, 20)
pytestmark = pytest.mark.today(TODAY)


@pytest.fixture
def iwan():
    """Demo member 2: three KPJ, two ended, the current one aktif."""
    first = make_member(kpj="99993494331", name="IWAN SUKMANA", sex="M", birth_date=date(1980, 8, 27),
                        start_date=date(2008, 3, 1), end_date=date(2012, 6, 30), phone="+62813157147898",
                        employer=make_employer(npp="11112222", name="PT LAMA SEKALI"))
    second = make_member(kpj="90090801580", person=first.person, start_date=date(2012, 8, 1),
                         end_date=date(2019, 12, 31), employer=make_employer(npp="33334444", name="CV TENGAH"))
    current = make_member(kpj="34086313831", person=first.person, start_date=date(2026, 5, 1),
                          employer=make_employer(npp="55556666", name="PT SEKARANG"))
    post_contribution(second, "2019-11", 4_000_000)
    for month in range(5, 11):
        post_contribution(current, f"2026-{month:02d}", 7_000_000)
    return first, second, current


@pytest.fixture
def iwan_in(iwan):
    return sign_in(iwan[2], email="iwan@example.com", phone="+62813157147898")


def test_me_is_the_member_and_their_contact(neng_in):
    me = neng_in.api.get("/me").json()
    person = neng_in.membership.person
    assert me == {
        "name": "NENG KURNIASIH",
        "nik": person.nik,
        "birth_date": "1987-10-07",
        "sex": "F",
        "email": "neng@example.com",
        "phone": "+628154817745",
        "cards": 1,
    }


def test_cards_lists_every_kpj_with_status_employer_and_dates(iwan_in):
    cards = iwan_in.api.get("/cards").json()["cards"]
    assert cards == [
        {"kpj": "34086313831", "status": "aktif", "employer": {"npp": "55556666", "name": "PT SEKARANG"},
         "start_date": "2026-05-01", "end_date": None, "merged_into": None},
        {"kpj": "90090801580", "status": "non-aktif", "employer": {"npp": "33334444", "name": "CV TENGAH"},
         "start_date": "2012-08-01", "end_date": "2019-12-31", "merged_into": None},
        {"kpj": "99993494331", "status": "non-aktif", "employer": {"npp": "11112222", "name": "PT LAMA SEKALI"},
         "start_date": "2008-03-01", "end_date": "2012-06-30", "merged_into": None},
    ]


def test_one_card(iwan_in):
    card = iwan_in.api.get("/cards/90090801580").json()
    assert (card["kpj"], card["status"], card["end_date"]) == ("90090801580", "non-aktif", "2019-12-31")


def test_balance_per_kpj_is_the_one_every_channel_shows(neng_in):
    answer = neng_in.api.get("/cards/68516716147/balance").json()
    summary = balance_summary_get(kpj="68516716147", as_of=TODAY)
    assert answer == {
        "kpj": "68516716147",
        "as_of": "2026-11-20",
        "currency": "IDR",
        "jht": summary.jht,
        "jp": summary.jp,
        "total": summary.jht + summary.jp,
        "last_period": "2026-10",
    }
    assert summary.jht == 24 * (166_500 + 90_000)  # 3.7% + 2% of 4,500,000 a month


def test_balance_as_of_an_earlier_date(neng_in):
    # neng's 24 months of iuran run from November 2024 to October 2026: 12 of them by October 2025.
    answer = neng_in.api.get("/cards/68516716147/balance", as_of="2025-10-31").json()
    assert (answer["as_of"], answer["jht"]) == ("2025-10-31", 12 * (166_500 + 90_000))


def test_a_balance_as_of_a_future_date_is_refused(neng_in):
    answer = neng_in.api.get("/cards/68516716147/balance", as_of="2026-11-21")
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "as_of")


def test_a_card_without_jp_says_null(iwan_in):
    card = make_member(kpj="12312312312", person=iwan_in.membership.person, start_date=date(2000, 1, 1),
                       end_date=date(2001, 1, 1))
    assert iwan_in.api.get(f"/cards/{card.kpj}/balance").json()["jp"] is None


def test_statement_of_a_year(iwan_in):
    answer = iwan_in.api.get("/cards/90090801580/statements/2019").json()
    assert (answer["year"], answer["as_of"], answer["status"]) == (2019, "2019-12-31", "non-aktif")
    jht = answer["programmes"]["JHT"]
    assert (jht["opening"], jht["employer"], jht["worker"], jht["closing"]) == (0, 148_000, 80_000, 228_000)
    assert [m["period"] for m in answer["months"]][-2:] == ["2019-11", "2019-12"]
    assert [m["gap"] for m in answer["months"]][-2:] == [False, True]


@pytest.mark.parametrize("year", [2011, 2027])
def test_no_statement_before_the_card_or_for_a_year_to_come(iwan_in, year):
    answer = iwan_in.api.get(f"/cards/90090801580/statements/{year}")
    assert (answer.status_code, answer.json()["code"]) == (404, "statement_not_found")


def test_contributions_between_two_months_flag_the_gaps(bagus_in):
    answer = bagus_in.api.get("/cards/55465628384/contributions", **{"from": "2026-01", "to": "2026-10"}).json()
    assert (answer["first"], answer["last"], answer["paid"], answer["gaps"]) == ("2026-01", "2026-10", 3, 7)
    assert [m["gap"] for m in answer["months"]] == [False, False, True, False, True, True, True, True, True, True]
    assert answer["months"][0] == {"period": "2026-01", "wage": 3_000_000, "jht_employer": 111_000,
                                   "jht_worker": 60_000, "jp_employer": 60_000, "jp_worker": 30_000, "gap": False}


@pytest.mark.parametrize("months", [
    # October's iuran is due on 15 November: not a gap yet.
    pytest.param([("2026-09", True)], marks=pytest.mark.today(date(2026, 11, 15)), id="15 November"),
    pytest.param([("2026-09", True), ("2026-10", True)], marks=pytest.mark.today(date(2026, 11, 16)),
                 id="16 November"),
])
def test_last_months_iuran_is_a_gap_only_after_the_15th(bagus_in, months):
    answer = bagus_in.api.get("/cards/55465628384/contributions", **{"from": "2026-09", "to": "2026-10"}).json()
    assert [(m["period"], m["gap"]) for m in answer["months"]] == months


def test_contributions_default_to_the_whole_card(bagus_in):
    answer = bagus_in.api.get("/cards/55465628384/contributions").json()
    assert (answer["first"], answer["last"]) == ("2026-01", "2026-11")


def test_a_range_that_runs_backwards_is_refused(bagus_in):
    answer = bagus_in.api.get("/cards/55465628384/contributions", **{"from": "2026-05", "to": "2026-01"})
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "from")


def test_the_digital_card_is_signed_and_verifies(neng_in):
    answer = neng_in.api.get("/cards/68516716147/digital-card").json()
    assert (answer["kpj"], answer["name"], answer["status"]) == ("68516716147", "NENG KURNIASIH", "aktif")
    assert answer["qr_png"].startswith("data:image/png;base64,")
    check = card_verify(payload=answer["payload"], now=timezone.now())
    assert check.valid and check.claims["kpj"] == "68516716147"


def test_the_public_key_is_published_and_verifies_the_card(api, neng_in):
    from saldo.cards.signing import public_from_text

    keys = api.get("/digital-card/public-key").json()
    [key] = keys["keys"]
    assert (key["algorithm"], key["current"]) == ("Ed25519", True)
    payload = neng_in.api.get("/cards/68516716147/digital-card").json()["payload"]
    assert card_verify(payload=payload, now=timezone.now(), public_keys=[public_from_text(key["public_key"])]).valid


def test_every_disclosure_is_in_the_audit_trail(neng_in):
    for path in ["/me", "/cards", "/cards/68516716147", "/cards/68516716147/balance",
                 "/cards/68516716147/statements/2026", "/cards/68516716147/contributions",
                 "/cards/68516716147/digital-card"]:
        assert neng_in.api.get(path).status_code == 200
    user_id = neng_in.membership.person.member_account.user_id
    trail = list(Disclosure.objects.order_by("id").values_list("channel", "recipient", "kpj", "what"))
    assert trail == [("api", f"user:{user_id}", "68516716147", what) for what in
                     ["person", "status", "status", "balance", "statement", "contributions", "card"]]


def test_no_answer_may_be_kept_by_a_cache(neng_in):
    for answer in (neng_in.api.get("/cards/68516716147/balance"), neng_in.api.get("/cards/10000000009"),
                   neng_in.api.post("/auth/logout")):
        assert answer["Cache-Control"] == "no-store", answer.status_code


def test_english_on_request(neng_in):
    answer = neng_in.api.get("/cards/68516716147/statements/1990", language="en")
    assert answer.json()["title"] == "Not found"
    assert answer["Content-Language"] == "en"
