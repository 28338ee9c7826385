"""Properties of the ledger over arbitrary sequences of postings.

Each example runs inside a savepoint that is rolled back, so examples do not see each other."""

import uuid
from collections import defaultdict
from datetime import date

from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from saldo.core.errors import IdempotencyConflict
from saldo.ledger.checks import ledger_mismatches
from saldo.ledger.models import Account, Entry, EntryKind, Posting
from saldo.ledger.services import Line, posting_create
from tests.factories import make_member

ACCOUNTS = 4  # two memberships, JHT and JP each
SIGNED_KINDS = {
    EntryKind.EMPLOYER_CONTRIBUTION: 1,
    EntryKind.WORKER_CONTRIBUTION: 1,
    EntryKind.RETURNS: 1,
    EntryKind.WITHDRAWAL: -1,
    EntryKind.TAX: -1,
    EntryKind.TRANSFER: 0,  # either sign, never zero
    EntryKind.REVERSAL: 0,
}
KINDS = sorted(SIGNED_KINDS)


@st.composite
def lines(draw):
    # Mostly iuran, so that balances grow and debits are sometimes covered, sometimes not.
    kind = draw(st.sampled_from([EntryKind.EMPLOYER_CONTRIBUTION, EntryKind.WORKER_CONTRIBUTION] * 3 + KINDS))
    magnitude = draw(st.integers(min_value=1, max_value=10**9 if SIGNED_KINDS[kind] > 0 else 10**8))
    sign = SIGNED_KINDS[kind] or draw(st.sampled_from([1, -1]))
    value_date = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2025, 12, 30)))
    # Returns entries all on 31 Dec: postings crediting one account on the same day are tried often.
    if kind == EntryKind.RETURNS:
        value_date = date(value_date.year, 12, 31)
    return (draw(st.integers(0, ACCOUNTS - 1)), kind, sign * magnitude, value_date)


postings = st.lists(
    st.tuples(st.integers(0, 5), st.lists(lines(), min_size=1, max_size=4)),  # (key number, lines)
    min_size=1,
    max_size=12,
)

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Rollback(Exception):
    pass


def in_rolled_back_savepoint(body):
    try:
        with transaction.atomic():
            body()
            raise Rollback
    except Rollback:
        pass


def open_accounts() -> list[Account]:
    memberships = [make_member(), make_member()]
    return list(Account.objects.filter(membership__in=memberships).order_by("membership_id", "programme"))


def to_lines(accounts, raw_lines) -> list[Line]:
    return [Line(accounts[i].id, kind, amount, value_date) for i, kind, amount, value_date in raw_lines]


def post(key, lines_):
    """Post and say what happened: 'posted', 'replayed', 'conflict' or 'refused' (a constraint)."""
    count = Posting.objects.filter(key=key).count()
    try:
        posting_create(key=key, lines=lines_)
    except IdempotencyConflict:
        return "conflict"
    except IntegrityError:
        return "refused"
    return "replayed" if count else "posted"


def stored_state(accounts):
    ids = [a.id for a in accounts]
    return (
        dict(Account.objects.filter(id__in=ids).values_list("id", "balance")),
        Entry.objects.filter(account_id__in=ids).count(),
        Posting.objects.count(),
    )


@SETTINGS
@given(postings)
def test_any_sequence_of_postings_keeps_every_balance_equal_to_the_sum_of_its_entries(sequence):
    def body():
        accounts = open_accounts()
        prefix = uuid.uuid4().hex
        model: dict[int, int] = defaultdict(int)  # the expected balances
        stored: dict[str, list] = {}
        for key_number, raw_lines in sequence:
            key, lines_ = f"{prefix}:{key_number}", to_lines(accounts, raw_lines)
            outcome = post(key, lines_)
            event(outcome)
            if key in stored:
                same = sorted(stored[key]) == sorted(raw_lines)
                assert outcome == ("replayed" if same else "conflict")
                continue
            deltas = defaultdict(int)
            for i, _kind, amount, _vd in raw_lines:
                deltas[i] += amount
            would_go_negative = any(model[i] + d < 0 for i, d in deltas.items())
            duplicate_returns = _returns_twice(raw_lines)
            if would_go_negative or duplicate_returns:
                assert outcome == "refused"
                continue
            assert outcome == "posted"
            stored[key] = raw_lines
            for i, d in deltas.items():
                model[i] += d
        assert ledger_mismatches() == []
        balances = dict(Account.objects.filter(id__in=[a.id for a in accounts]).values_list("id", "balance"))
        assert balances == {a.id: model[i] for i, a in enumerate(accounts)}

    in_rolled_back_savepoint(body)


def _returns_twice(raw_lines) -> bool:
    """Would these lines credit returns twice to one account on one value date in this posting?
    (Another posting may: a claim's returns and the year's settlement, both valued 31 Dec.)"""
    new = [(i, vd) for i, kind, _a, vd in raw_lines if kind == EntryKind.RETURNS]
    return len(new) != len(set(new))


@SETTINGS
@given(postings)
def test_replaying_every_posting_changes_nothing(sequence):
    def body():
        accounts = open_accounts()
        prefix = uuid.uuid4().hex
        outcomes = []
        for key_number, raw_lines in sequence:
            key, lines_ = f"{prefix}:{key_number}", to_lines(accounts, raw_lines)
            outcomes.append((key, lines_, post(key, lines_)))
        before = stored_state(accounts)
        # A refused posting stored nothing (replaying it against later balances may succeed), so
        # the replay is of everything the ledger accepted or answered with a conflict.
        for key, lines_, outcome in outcomes:
            if outcome != "refused":
                event(outcome)
                assert post(key, lines_) == ("conflict" if outcome == "conflict" else "replayed")
        assert stored_state(accounts) == before
        assert ledger_mismatches() == []

    in_rolled_back_savepoint(body)
