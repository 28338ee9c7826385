"""An employer's leaver report ends a KPJ membership."""

from datetime import date

import pytest

from saldo.contributions.selectors import membership_status
from saldo.contributions.services import membership_end
from saldo.core.errors import NotFound, ValidationError
from tests.factories import make_member, post_contribution

AS_OF = date(2024, 6, 1)


@pytest.fixture
def member():
    return make_member(kpj="12345678901", start_date=date(2020, 1, 1))


def test_ending_a_membership_records_the_end_date_and_makes_it_non_aktif(member):
    post_contribution(member, "2024-03", 5_000_000)
    membership_end(kpj="12345678901", end_date=date(2024, 3, 20), as_of=AS_OF)
    member.refresh_from_db()
    assert member.end_date == date(2024, 3, 20)
    assert membership_status(membership=member, as_of=AS_OF) == "non-aktif"


def test_the_month_of_leaving_may_have_iuran(member):
    post_contribution(member, "2024-03", 5_000_000)
    membership_end(kpj="12345678901", end_date=date(2024, 3, 1), as_of=AS_OF)
    member.refresh_from_db()
    assert member.end_date == date(2024, 3, 1)


@pytest.mark.parametrize(
    ("end_date", "field"),
    [(date(2019, 12, 31), "end_date"), (date(2024, 6, 2), "end_date"), (date(2024, 2, 29), "end_date")],
    ids=["before-start", "in-the-future", "before-iuran-already-received"],
)
def test_an_impossible_end_date_is_refused_and_nothing_changes(member, end_date, field):
    post_contribution(member, "2024-03", 5_000_000)
    with pytest.raises(ValidationError) as excinfo:
        membership_end(kpj="12345678901", end_date=end_date, as_of=AS_OF)
    assert field in {e.field for e in excinfo.value.errors}
    member.refresh_from_db()
    assert member.end_date is None


def test_a_membership_cannot_end_twice(member):
    membership_end(kpj="12345678901", end_date=date(2024, 3, 20), as_of=AS_OF)
    with pytest.raises(ValidationError):
        membership_end(kpj="12345678901", end_date=date(2024, 5, 1), as_of=AS_OF)
    member.refresh_from_db()
    assert member.end_date == date(2024, 3, 20)


def test_ending_an_unknown_kpj_is_refused():
    with pytest.raises(NotFound):
        membership_end(kpj="99999999999", end_date=date(2024, 1, 1), as_of=AS_OF)
