"""Penggabungan saldo: the older KPJ's balance moves to the newer KPJ of the same person."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command

from saldo.claims.services import claim_cancel, claim_submit, member_actor
from saldo.contributions.selectors import membership_status
from saldo.core.errors import NotFound, ValidationError
from saldo.ledger.checks import entries_without_posting, ledger_mismatches
from saldo.ledger.models import EntryKind, Posting, Programme
from saldo.ledger.selectors import balances_get
from saldo.merging.selectors import merge_get, merged_into, merged_into_map, merges_with_stray_balance
from saldo.merging.services import MergeRefused, kpj_merge, merges_sweep
from saldo.statements.selectors import statement_get
from tests.factories import (
    account_of,
    bank_account_open,
    claim_documents,
    make_employer,
    make_member,
    post_contribution,
    post_entries,
)

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta
TODAY = date(2026, 11, 26)
OLD_KPJ, NEW_KPJ = "90090801580", "34086313831"


@pytest.fixture
def old():
    """A card from a job that ended without the employer reporting it: last iuran June 2026."""
    card = make_member(kpj=OLD_KPJ, name="IWAN SUKMANA", sex="M", start_date=date(2024, 1, 1))
    for month in range(1, 7):
        post_contribution(card, f"2026-{month:02d}", 5_000_000)
    return card


@pytest.fixture
def new(old):
    card = make_member(
        kpj=NEW_KPJ, person=old.person, start_date=date(2026, 7, 1), employer=make_employer(npp="87654321")
    )
    for month in range(7, 11):
        post_contribution(card, f"2026-{month:02d}", 6_000_000)
    return card


def balances(card) -> dict[str, int]:
    return {p: account_of(card, p).balance for p in Programme.values}


def test_the_old_balance_moves_to_the_new_card_and_the_old_card_is_closed(old, new):
    before_old, before_new = balances(old), balances(new)

    result = kpj_merge(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ, now=NOW)

    assert result.created is True
    assert result.moved_now == before_old
    assert result.record.moved == before_old
    assert balances(old) == {"JHT": 0, "JP": 0}
    assert balances(new) == {p: before_old[p] + before_new[p] for p in Programme.values}
    old.refresh_from_db()
    assert old.end_date == TODAY
    assert membership_status(membership=old, as_of=TODAY) == "non-aktif"
    assert merged_into(kpj=OLD_KPJ) == NEW_KPJ
    assert merged_into_map(kpjs=[OLD_KPJ, NEW_KPJ]) == {OLD_KPJ: NEW_KPJ}


def test_the_merge_is_one_posting_of_transfer_pairs_valued_on_the_merge_day(old, new):
    jht, jp = balances(old)["JHT"], balances(old)["JP"]
    kpj_merge(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ, now=NOW)
    posting = Posting.objects.get(key=f"merge:{OLD_KPJ}:{NEW_KPJ}")
    entries = sorted(
        posting.entries.values_list("account__membership__kpj", "account__programme", "kind", "amount", "value_date")
    )
    assert entries == sorted([
        (OLD_KPJ, "JHT", "transfer", -jht, TODAY),
        (NEW_KPJ, "JHT", "transfer", jht, TODAY),
        (OLD_KPJ, "JP", "transfer", -jp, TODAY),
        (NEW_KPJ, "JP", "transfer", jp, TODAY),
    ])


def test_nothing_is_lost_or_doubled_and_the_ledger_verifies(old, new):
    person_total = sum(balances(old).values()) + sum(balances(new).values())
    kpj_merge(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ, now=NOW)
    assert sum(balances(old).values()) + sum(balances(new).values()) == person_total
    assert ledger_mismatches() == [] and entries_without_posting() == 0
    call_command("verify_ledger")  # exits non-zero (CommandError) on any mismatch


def test_history_before_the_merge_is_unchanged(old, new):
    before = balances_get(membership_id=old.id, as_of=date(2026, 10, 31))
    kpj_merge(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ, now=NOW)
    assert balances_get(membership_id=old.id, as_of=date(2026, 10, 31)) == before
    jht_year = statement_get(kpj=OLD_KPJ, as_of=TODAY).programmes["JHT"].years[-1]
    assert (jht_year.year, jht_year.transfers, jht_year.closing) == (2026, -before["JHT"].amount, 0)


def test_merging_again_changes_nothing(old, new):
    first = kpj_merge(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ, now=NOW)
    after_first = (balances(old), balances(new), Posting.objects.count())

    again = kpj_merge(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ, now=datetime(2026, 11, 27, tzinfo=UTC))

    assert (again.created, again.moved_now, again.record) == (False, {"JHT": 0, "JP": 0}, first.record)
    assert (balances(old), balances(new), Posting.objects.count()) == after_first


def test_money_reaching_the_old_card_after_the_merge_is_swept_by_merging_again(old, new):
    first = kpj_merge(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ, now=NOW)
    # January: the year's returns are credited to every account that held money in 2026.
    post_entries(account_of(old), [(date(2026, 12, 31), 41_000)], key="returns:2026:test", kind=EntryKind.RETURNS)
    assert merges_with_stray_balance() == [(OLD_KPJ, NEW_KPJ)]
    january = datetime(2027, 1, 20, tzinfo=UTC)

    [swept] = merges_sweep(now=january)

    assert (swept.created, swept.moved_now) == (False, {"JHT": 41_000, "JP": 0})
    assert swept.record.moved["JHT"] == first.record.moved["JHT"] + 41_000
    assert balances(old) == {"JHT": 0, "JP": 0}
    assert merges_with_stray_balance() == []
    assert merges_sweep(now=january) == []
    assert ledger_mismatches() == []


def test_iuran_valued_after_the_merge_day_moves_on_its_own_value_date(old, new):
    # November's iuran for the old card arrived early: it counts from 30 November.
    november = post_contribution(old, "2026-11", 5_000_000)
    kpj_merge(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ, now=NOW)
    on_old = {
        d: balances_get(membership_id=old.id, as_of=d)["JHT"].amount for d in (TODAY, date(2026, 11, 30))
    }
    assert on_old == {TODAY: 0, date(2026, 11, 30): 0}
    on_new = {d: balances_get(membership_id=new.id, as_of=d)["JHT"].amount for d in (TODAY, date(2026, 11, 30))}
    assert on_new[date(2026, 11, 30)] - on_new[TODAY] == november.jht_employer + november.jht_worker


def test_a_card_already_ended_keeps_its_end_date(old, new):
    old.end_date = date(2026, 6, 30)
    old.save()
    kpj_merge(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ, now=NOW)
    old.refresh_from_db()
    assert old.end_date == date(2026, 6, 30)


def test_a_card_of_someone_else_is_not_found_for_the_member(old, new):
    stranger = make_member(kpj="55465628384", name="BAGUS HARTONO", start_date=date(2020, 1, 1))
    with pytest.raises(NotFound):
        kpj_merge(from_kpj=stranger.kpj, to_kpj=NEW_KPJ, now=NOW, person_id=new.person_id)
    with pytest.raises(NotFound):
        kpj_merge(from_kpj=OLD_KPJ, to_kpj=stranger.kpj, now=NOW, person_id=new.person_id)


def test_cards_of_two_people_are_never_merged(old, new):
    stranger = make_member(kpj="55465628384", name="BAGUS HARTONO", start_date=date(2027, 1, 1))
    with pytest.raises(MergeRefused) as refused:
        kpj_merge(from_kpj=OLD_KPJ, to_kpj=stranger.kpj, now=NOW)
    assert refused.value.code == "merge_not_same_person"


@pytest.mark.parametrize(
    ("arrange", "code"),
    [
        ("old_still_paid", "merge_source_active"),
        ("reversed", "merge_wrong_direction"),
        ("new_ended", "merge_target_ended"),
        ("old_empty", "merge_nothing_to_move"),
        ("old_merged_elsewhere", "merge_already_merged"),
        ("new_merged_away", "merge_target_closed"),
    ],
)
def test_merges_the_rules_do_not_allow_are_refused_and_change_nothing(old, new, arrange, code):
    from_kpj, to_kpj = OLD_KPJ, NEW_KPJ
    if arrange == "old_still_paid":
        post_contribution(old, "2026-10", 5_000_000)
    elif arrange == "reversed":
        from_kpj, to_kpj = NEW_KPJ, OLD_KPJ
    elif arrange == "new_ended":
        new.end_date = date(2026, 11, 1)
        new.save()
    elif arrange == "old_empty":
        old = make_member(kpj="11111111111", person=old.person, start_date=date(2010, 1, 1), end_date=date(2012, 1, 1))
        from_kpj = old.kpj
    elif arrange == "old_merged_elsewhere":
        third = make_member(kpj="22222222222", person=old.person, start_date=date(2025, 1, 1))
        kpj_merge(from_kpj=OLD_KPJ, to_kpj=third.kpj, now=NOW)
    elif arrange == "new_merged_away":
        newest = make_member(kpj="33333333333", person=old.person, start_date=date(2026, 10, 1))
        # By March 2027 the new card has had no iuran for three months, so it may itself be merged away.
        kpj_merge(from_kpj=NEW_KPJ, to_kpj=newest.kpj, now=datetime(2027, 3, 1, tzinfo=UTC))
    before = (balances(old), balances(new), Posting.objects.count())
    with pytest.raises(MergeRefused) as refused:
        kpj_merge(from_kpj=from_kpj, to_kpj=to_kpj, now=NOW)
    assert refused.value.code == code
    assert (balances(old), balances(new), Posting.objects.count()) == before


def test_a_card_with_a_claim_in_progress_is_not_merged_until_the_claim_is_done(old, new):
    old.end_date = date(2026, 6, 30)  # the employer reported that he left: he may claim the old card
    old.save()
    claim = claim_submit(kpj=OLD_KPJ, person_id=old.person_id, reason="resignation",
                         documents=claim_documents("resignation"), **bank_account_open(old.person.name), as_of=TODAY,
                         now=NOW, actor=member_actor("web"), verification="video_call")
    before = (balances(old), balances(new), Posting.objects.count())

    with pytest.raises(MergeRefused) as refused:
        kpj_merge(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ, now=NOW)
    assert refused.value.code == "merge_claim_open"
    assert claim.number in refused.value.message
    assert (balances(old), balances(new), Posting.objects.count()) == before

    claim_cancel(number=claim.number, person_id=old.person_id, actor=member_actor("web"), now=NOW)
    assert kpj_merge(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ, now=NOW).created


def test_a_card_cannot_be_merged_into_itself(old):
    with pytest.raises(ValidationError) as invalid:
        kpj_merge(from_kpj=OLD_KPJ, to_kpj=OLD_KPJ, now=NOW)
    assert [e.field for e in invalid.value.errors] == ["to_kpj"]


def test_the_merge_record_says_what_moved(old, new):
    expected = balances(old)
    kpj_merge(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ, now=NOW)
    record = merge_get(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ)
    assert (record.from_kpj, record.to_kpj, record.moved) == (OLD_KPJ, NEW_KPJ, expected)
    assert merge_get(from_kpj=NEW_KPJ, to_kpj=OLD_KPJ) is None


@pytest.mark.today(date(2027, 1, 5))  # the commands read the clock: a day after 2026's returns were credited
def test_the_operator_command_merges_and_sweeps(old, new, capsys):
    expected = balances(old)
    call_command("merge_kpj", OLD_KPJ, NEW_KPJ)
    assert balances(old) == {"JHT": 0, "JP": 0} and merged_into(kpj=OLD_KPJ) == NEW_KPJ
    post_entries(account_of(old), [(date(2026, 12, 31), 41_000)], key="returns:2026:test", kind=EntryKind.RETURNS)
    call_command("merge_kpj", "--sweep")
    out = capsys.readouterr().out
    assert f"KPJ {OLD_KPJ} digabung ke KPJ {NEW_KPJ}" in out and "1 penggabungan disapu." in out
    assert merge_get(from_kpj=OLD_KPJ, to_kpj=NEW_KPJ).moved["JHT"] == expected["JHT"] + 41_000
