"""Penggabungan saldo requested from the app."""

from datetime import date

import pytest

from saldo.audit.models import Disclosure
from saldo.ledger.checks import ledger_mismatches
from tests.api.conftest import months_ago, sign_in
from tests.factories import account_of, make_employer, make_member, post_contribution


@pytest.fixture
def iwan_in():
    old = make_member(kpj="90090801580", name="IWAN SUKMANA", sex="M", start_date=date(2012, 8, 1),
                      end_date=date(2019, 12, 31), phone="+62813157147898")
    current = make_member(kpj="34086313831", person=old.person, start_date=months_ago(3),
                          employer=make_employer(npp="55556666", name="PT SEKARANG"))
    post_contribution(old, "2019-11", 4_000_000)
    post_contribution(current, f"{months_ago(2):%Y-%m}", 7_000_000)
    return sign_in(old, email="iwan@example.com", phone="+62813157147898")


MERGE = {"from_kpj": "90090801580", "to_kpj": "34086313831"}


def test_a_merge_moves_the_old_balance_and_closes_the_old_card(iwan_in):
    old_jht = account_of(iwan_in.membership).balance
    answer = iwan_in.api.post("/merges", MERGE)
    assert answer.status_code == 201
    body = answer.json()
    assert (body["from_kpj"], body["to_kpj"], body["moved"]["JHT"], body["moved_now"]["JHT"]) == (
        "90090801580", "34086313831", old_jht, old_jht)
    cards = {c["kpj"]: c for c in iwan_in.api.get("/cards").json()["cards"]}
    assert cards["90090801580"]["merged_into"] == "34086313831"
    assert iwan_in.api.get("/cards/90090801580/balance").json()["jht"] == 0
    assert ledger_mismatches() == []
    assert set(Disclosure.objects.filter(what="merge").values_list("kpj", flat=True)) == {
        "90090801580", "34086313831"}


def test_asking_again_is_200_and_moves_nothing(iwan_in):
    first = iwan_in.api.post("/merges", MERGE).json()
    again = iwan_in.api.post("/merges", MERGE)
    assert again.status_code == 200
    assert again.json()["moved"] == first["moved"]
    assert again.json()["moved_now"] == {"JHT": 0, "JP": 0}


def test_the_wrong_direction_is_a_409_with_its_code(iwan_in):
    answer = iwan_in.api.post("/merges", {"from_kpj": "34086313831", "to_kpj": "90090801580"})
    assert (answer.status_code, answer.json()["code"]) == (409, "merge_wrong_direction")


def test_the_same_card_twice_is_422(iwan_in):
    answer = iwan_in.api.post("/merges", {"from_kpj": "90090801580", "to_kpj": "90090801580"})
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "to_kpj")
