"""Correcting a month of iuran: reverse it, then post the right wage."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from saldo.contributions.models import Contribution
from saldo.contributions.selectors import contribution_history
from saldo.contributions.services import contribution_reverse
from saldo.core.errors import NotFound, SaldoError, ValidationError
from saldo.ledger.checks import ledger_mismatches
from saldo.ledger.models import Account, Entry, EntryKind, Programme
from saldo.ledger.services import Line, posting_create
from tests.factories import account_of, make_member, post_contribution

JAN = date(2024, 1, 1)


@pytest.fixture
def member():
    membership = make_member(kpj="10000000001", start_date=date(2024, 1, 1))
    post_contribution(membership, "2024-01", 5_000_000)
    post_contribution(membership, "2024-02", 5_000_000)
    return membership


def test_a_reversed_month_leaves_the_balance_as_if_it_was_never_posted(member):
    contribution_reverse(kpj="10000000001", period=JAN, reason="upah salah")
    assert account_of(member, Programme.JHT).balance == 285_000
    assert account_of(member, Programme.JP).balance == 150_000
    assert ledger_mismatches() == []


def test_the_reversal_is_four_reversal_entries_pointing_at_the_originals(member):
    contribution = contribution_reverse(kpj="10000000001", period=JAN, reason="upah salah")
    reversals = Entry.objects.filter(posting=contribution.reversal)
    assert sorted(r.amount for r in reversals) == [-185_000, -100_000, -100_000, -50_000]
    assert {r.kind for r in reversals} == {EntryKind.REVERSAL}
    assert all(r.reverses.posting_id == contribution.posting_id for r in reversals)


def test_a_reversed_month_shows_as_a_gap_until_it_is_posted_again(member):
    contribution_reverse(kpj="10000000001", period=JAN, reason="upah salah")
    months = contribution_history(membership=member, as_of=date(2024, 3, 20))
    assert [(m.period, m.wage, m.gap) for m in months] == [
        (date(2024, 1, 1), None, True),
        (date(2024, 2, 1), 5_000_000, False),
    ]


def test_the_reversed_row_stays_as_history(member):
    contribution_reverse(kpj="10000000001", period=JAN, reason="upah salah")
    assert Contribution.objects.filter(membership=member, period=JAN).count() == 1
    assert Contribution.objects.in_force().filter(membership=member, period=JAN).count() == 0


def test_a_month_can_be_reversed_only_while_it_is_in_force(member):
    contribution_reverse(kpj="10000000001", period=JAN, reason="upah salah")
    with pytest.raises(NotFound):
        contribution_reverse(kpj="10000000001", period=JAN, reason="sekali lagi")


def test_a_month_never_posted_cannot_be_reversed(member):
    with pytest.raises(NotFound):
        contribution_reverse(kpj="10000000001", period=date(2024, 5, 1), reason="upah salah")


def test_a_reversal_needs_a_reason(member):
    with pytest.raises(ValidationError):
        contribution_reverse(kpj="10000000001", period=JAN, reason="  ")
    assert Contribution.objects.in_force().filter(membership=member).count() == 2


def test_the_cli_reverses_and_says_the_month_can_be_posted_again(member):
    out = StringIO()
    call_command("reverse_contribution", "10000000001", "2024-01", reason="upah salah", stdout=out)
    assert "2024-01" in out.getvalue() and "Rp5.000.000" in out.getvalue()
    assert account_of(member, Programme.JHT).balance == 285_000


# --- a month already paid out by a claim --------------------------------------------------------

PAID_OUT_ON = date(2024, 3, 20)


def pay_out(member, programme: str, leave: int = 0) -> None:
    """Withdraw an account down to `leave`, as a paid claim does (not through the claims services:
    only the balance matters here)."""
    account = account_of(member, programme)
    line = Line(account.id, EntryKind.WITHDRAWAL, leave - account.balance, PAID_OUT_ON)
    posting_create(key=f"test-withdrawal:{member.kpj}:{programme}", lines=[line])


def ledger_state() -> tuple[int, dict[int, int]]:
    return Entry.objects.count(), dict(Account.objects.values_list("id", "balance"))


def reverse_january() -> CommandError:
    with pytest.raises(CommandError) as raised:
        call_command("reverse_contribution", "10000000001", "2024-01", reason="upah salah", stdout=StringIO())
    return raised.value


def test_a_month_paid_out_by_a_claim_is_refused_with_exit_status_1_and_nothing_posted(member):
    pay_out(member, Programme.JHT)
    before = ledger_state()
    error = reverse_january()
    assert error.returncode == 1
    assert str(error) == (
        "Iuran KPJ 10000000001 periode 2024-01 tidak dapat dikoreksi: saldo JHT KPJ ini sudah dicairkan "
        "(sisa Rp0, koreksi Rp285.000). Tagih kembali lewat kantor cabang."
    )
    assert ledger_state() == before
    assert Contribution.objects.in_force().filter(membership=member, period=JAN).exists()
    call_command("verify_ledger", stdout=StringIO(), stderr=StringIO())  # CommandError on any mismatch


def test_the_refusal_names_the_jp_account_when_only_it_was_paid_out(member):
    pay_out(member, Programme.JP, leave=149_999)  # the reversal takes 150,000 back from JP
    before = ledger_state()
    assert "saldo JP KPJ ini sudah dicairkan (sisa Rp149.999, koreksi Rp150.000)" in str(reverse_january())
    assert ledger_state() == before


def test_an_account_left_with_exactly_the_reversal_can_bear_it(member):
    pay_out(member, Programme.JHT, leave=285_000)
    contribution_reverse(kpj="10000000001", period=JAN, reason="upah salah")
    assert account_of(member, Programme.JHT).balance == 0
    assert ledger_mismatches() == []


def test_the_service_raises_a_coded_error_the_channels_can_map(member):
    pay_out(member, Programme.JHT)
    with pytest.raises(SaldoError) as raised:
        contribution_reverse(kpj="10000000001", period=JAN, reason="upah salah")
    assert raised.value.code == "contribution_paid_out"


def test_the_refusal_reads_in_english_too(member):
    pay_out(member, Programme.JHT)
    with translation.override("en"), pytest.raises(SaldoError) as raised:
        contribution_reverse(kpj="10000000001", period=JAN, reason="upah salah")
    assert "cannot be corrected: this KPJ's JHT balance has already been paid out" in raised.value.message
