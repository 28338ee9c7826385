"""The one-glance claim overview that text channels (SMS/WhatsApp `KLAIM <KPJ>`) answer with."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from saldo.claims.selectors import OVERVIEW_REASONS, claim_overview_get
from saldo.claims.services import claim_submit
from saldo.core.errors import NotFound
from tests.factories import bank_account_open, claim_documents, make_member, make_resigned_member, post_contribution

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_the_reasons_a_text_channel_can_judge_need_no_date_from_the_member():
    assert OVERVIEW_REASONS == ("age", "resignation", "dismissal", "contract_end", "partial_10", "partial_30")


def test_a_member_who_resigned_can_claim_and_sees_the_open_claim():
    membership = make_resigned_member(kpj="55500000001")
    before = claim_overview_get(kpj=membership.kpj, person_id=membership.person_id, as_of=date(2025, 3, 1))
    assert (before.eligible_now, before.open_claim) == (
        ["resignation", "dismissal", "contract_end", "partial_10", "partial_30"], None,
    )  # fmt: skip
    claim = claim_submit(
        kpj=membership.kpj, person_id=membership.person_id, reason="resignation",
        documents=claim_documents("resignation"), **bank_account_open(membership.person.name),
        as_of=date(2025, 3, 1), now=NOW, actor="member:sms",
    )  # fmt: skip
    after = claim_overview_get(kpj=membership.kpj, person_id=membership.person_id, as_of=date(2025, 3, 1))
    assert (after.open_claim.number, after.open_claim.status) == (claim.number, "submitted")
    assert after.as_json()["open_claim"]["number"] == claim.number


def test_a_working_member_is_told_the_first_date_a_claim_opens():
    """Born 1990, joined 2019, still aktif: resignation needs the employer's report; partial opens in 2029."""
    membership = make_member(kpj="55500000002", start_date=date(2019, 1, 1))
    post_contribution(membership, "2025-01", 5_000_000)
    overview = claim_overview_get(kpj=membership.kpj, person_id=membership.person_id, as_of=date(2025, 3, 1))
    assert overview.eligible_now == []
    assert overview.as_json()["next_opening"] == {"reason": "partial_10", "date": "2029-01-01"}
    assert overview.as_json()["jht_balance"] == 285_000
    resignation = next(e for e in overview.eligibilities if e.reason == "resignation")
    assert [c.code for c in resignation.conditions] == ["not_left_employer", "membership_active"]


def test_only_for_the_members_own_kpj():
    membership = make_resigned_member(kpj="55500000001")
    stranger = make_member(kpj="55500000099")
    with pytest.raises(NotFound):
        claim_overview_get(kpj=membership.kpj, person_id=stranger.person_id, as_of=date(2025, 3, 1))
