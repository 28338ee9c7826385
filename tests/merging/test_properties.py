"""Whatever the two cards hold, merging them keeps every rupiah exactly once.

Each example runs inside a savepoint that is rolled back, so examples do not see each other."""

from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saldo.ledger.checks import ledger_mismatches
from saldo.ledger.models import EntryKind, Programme
from saldo.ledger.selectors import balances_get
from saldo.merging.services import kpj_merge
from tests.factories import account_of, make_member, post_entries

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)
# Value dates up to the end of next month: the current month's iuran counts from its last day.
value_dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 31))
credit = st.tuples(st.sampled_from(Programme.values), value_dates, st.integers(1, 10**9))


class Rollback(Exception):
    pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(on_old=st.lists(credit, min_size=1, max_size=8), on_new=st.lists(credit, max_size=8))
def test_every_balance_as_of_any_day_is_kept_once(on_old, on_new):
    try:
        with transaction.atomic():
            old = make_member(start_date=date(2015, 1, 1), end_date=date(2026, 1, 31))
            new = make_member(person=old.person, start_date=date(2026, 2, 1))
            for card, credits_ in ((old, on_old), (new, on_new)):
                for n, (programme, value_date, amount) in enumerate(credits_):
                    post_entries(account_of(card, programme), [(value_date, amount)], key=f"t:{card.kpj}:{n}",
                                 kind=EntryKind.EMPLOYER_CONTRIBUTION)
            days = sorted({TODAY - timedelta(days=1), TODAY, date(2026, 12, 31)} | {d for _p, d, _a in on_old})

            def per_day():
                return {
                    day: (balances_get(membership_id=old.id, as_of=day), balances_get(membership_id=new.id, as_of=day))
                    for day in days
                }

            before = per_day()
            kpj_merge(from_kpj=old.kpj, to_kpj=new.kpj, now=NOW)
            after = per_day()

            for day in days:
                for programme in Programme.values:
                    old_before, new_before = (b[programme].amount for b in before[day])
                    old_after, new_after = (b[programme].amount for b in after[day])
                    if day < TODAY:  # the past is not rewritten
                        assert (old_after, new_after) == (old_before, new_before)
                    else:  # from the merge day on, the old card is empty and the new one holds both
                        assert (old_after, new_after) == (0, old_before + new_before)
            assert {p: account_of(old, p).balance for p in Programme.values} == {"JHT": 0, "JP": 0}
            assert ledger_mismatches() == []
            raise Rollback
    except Rollback:
        pass
