"""How much a claim pays: the share of the balance, the JP lump sum, the final tax and its aggregation."""

import pytest

from saldo.claims.payout import jht_share, lump_sum_tax, payout_compute


@pytest.mark.parametrize(
    ("gross", "tax"),
    [
        (0, 0),
        (50_000_000, 0),  # 0% up to Rp50,000,000
        (50_000_009, 0),  # 5% of Rp9 is 0.45: rounds to 0
        (50_000_010, 1),  # 0.5 rounds half up
        (60_000_000, 500_000),  # domain.md's example
        (150_000_000, 5_000_000),
    ],
)
def test_final_tax_is_free_up_to_50_million_and_5_percent_above(gross, tax):
    assert lump_sum_tax(gross) == tax


def test_a_full_claim_pays_the_whole_balance_less_tax():
    payout = payout_compute(
        jht_balance=60_000_000, jp_balance=9_000_000, percent=100, jp_included=False, earlier_gross=0, earlier_tax=0
    )
    assert payout.as_json() == {"jht": 60_000_000, "jp": 0, "gross": 60_000_000, "tax": 500_000, "net": 59_500_000}


@pytest.mark.parametrize(("percent", "paid"), [(10, 100_000), (30, 300_001)])
def test_a_partial_claim_pays_at_most_its_share(percent, paid):
    assert jht_share(1_000_005, percent) == paid


def test_payments_within_the_window_are_taxed_as_one_lump_sum():
    """40M paid earlier (no tax), 20M now: 60M in all, so this payment withholds 500,000."""
    payout = payout_compute(
        jht_balance=20_000_000, jp_balance=0, percent=100, jp_included=False, earlier_gross=40_000_000, earlier_tax=0
    )
    assert (payout.gross, payout.tax, payout.net) == (20_000_000, 500_000, 19_500_000)


def test_tax_already_withheld_in_the_window_is_not_withheld_again():
    payout = payout_compute(
        jht_balance=10_000_000,
        jp_balance=0,
        percent=100,
        jp_included=False,
        earlier_gross=60_000_000,
        earlier_tax=500_000,
    )
    assert payout.tax == 500_000  # 5% of the new 10M only


def test_the_jp_lump_sum_is_paid_and_taxed_with_the_jht():
    payout = payout_compute(
        jht_balance=45_000_000, jp_balance=15_000_000, percent=100, jp_included=True, earlier_gross=0, earlier_tax=0
    )
    assert payout.as_json() == {
        "jht": 45_000_000,
        "jp": 15_000_000,
        "gross": 60_000_000,
        "tax": 500_000,
        "net": 59_500_000,
    }
    # Each account pays its share of the tax: 3/4 and 1/4.
    assert (payout.tax_jht, payout.tax_jp) == (375_000, 125_000)
