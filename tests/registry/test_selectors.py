"""Reading the registry, and recording a leaver."""

from datetime import date

import pytest

from saldo.core.errors import NotFound
from saldo.registry.selectors import membership_get, memberships_of_person
from tests.factories import make_employer, make_member


def test_a_membership_is_found_by_its_kpj():
    member = make_member(kpj="12345678901")
    assert membership_get(kpj="12345678901") == member


def test_an_unknown_kpj_is_not_found_with_a_stable_code():
    with pytest.raises(NotFound) as excinfo:
        membership_get(kpj="99999999999")
    assert (excinfo.value.code, excinfo.value.message) == ("kpj_not_found", "KPJ 99999999999 tidak ditemukan")


def test_a_persons_memberships_are_listed_oldest_first():
    first = make_member(kpj="20000000001", start_date=date(2015, 1, 1))
    second = make_member(
        kpj="10000000001",
        start_date=date(2020, 1, 1),
        person=first.person,
        employer=make_employer(npp="87654321"),
    )
    make_member(kpj="30000000001")  # someone else
    assert memberships_of_person(person_id=first.person_id) == [first, second]
