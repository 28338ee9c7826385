"""The lump sum a payment is taxed with (domain.md §5, PP 68/2009): payments within two calendar
years count as one lump sum, the window anchored on the lump sum's first payment (its calendar
year and the next), never sliding from payment to payment."""

from datetime import date

import pytest

from saldo.claims.payout import PaidBefore, lump_sum_so_far, payout_compute

# The issue's three payments: the second falls in the first's window (2026-2027), the third
# after it, so it starts a new lump sum anchored on 2028 (window 2028-2029).
MAR_2026 = PaidBefore(date(2026, 3, 10), 40_000_000, 0)
NOV_2027 = PaidBefore(date(2027, 11, 20), 20_000_000, 500_000)  # 60M in all: 5% of 10M
FEB_2028 = PaidBefore(date(2028, 2, 5), 60_000_000, 500_000)  # a new lump sum: 5% of 10M


@pytest.mark.parametrize(
    ("payments", "on", "earlier"),
    [
        pytest.param([], date(2026, 3, 10), (0, 0), id="first payment ever"),
        pytest.param([MAR_2026], NOV_2027.paid_on, (40_000_000, 0), id="2026-03 then 2027-11: same lump"),
        pytest.param([MAR_2026, NOV_2027], FEB_2028.paid_on, (0, 0), id="then 2028-02: a new lump"),
        pytest.param(
            [MAR_2026, NOV_2027, FEB_2028],
            date(2029, 12, 31),
            (60_000_000, 500_000),
            id="2029-12-31 joins the lump anchored 2028-02",
        ),
        pytest.param([MAR_2026, NOV_2027, FEB_2028], date(2030, 1, 1), (0, 0), id="2030-01-01: after it"),
        pytest.param([NOV_2027, MAR_2026], date(2027, 12, 1), (60_000_000, 500_000), id="in any order"),
        pytest.param(
            [PaidBefore(date(2026, 12, 31), 30_000_000, 0)],
            date(2027, 1, 1),
            (30_000_000, 0),
            id="2026-12-31 and 2027-01-01: same lump",
        ),
        pytest.param(
            [PaidBefore(date(2026, 1, 1), 30_000_000, 0)],
            date(2027, 12, 31),
            (30_000_000, 0),
            id="2026-01-01 and 2027-12-31: same lump",
        ),
        pytest.param(
            [PaidBefore(date(2026, 6, 15), 30_000_000, 0)],
            date(2028, 1, 2),
            (0, 0),
            id="2026-06 then 2028-01: a new lump",
        ),
        pytest.param(
            [PaidBefore(date(2026, 5, 4), 30_000_000, 0)],
            date(2026, 5, 4),
            (30_000_000, 0),
            id="paid the same day: earlier",
        ),
        pytest.param(
            [PaidBefore(date(2026, 5, 5), 30_000_000, 0)], date(2026, 5, 4), (0, 0), id="paid later: not earlier"
        ),
    ],
)
def test_a_payment_joins_the_lump_sum_whose_window_it_falls_in(payments, on, earlier):
    assert lump_sum_so_far(payments, on=on) == earlier


def test_the_issues_three_payments_are_taxed_in_a_lump_or_fresh_never_on_a_sliding_window():
    """40M in 2026-03 (tax 0), 20M in 2027-11 (60M in all: 500,000), 60M in 2028-02. The third
    is after the 2026-27 window, so it is taxed fresh: 5% of 10M = 500,000. A window sliding
    back to 2027 would have added the 20M: 5% of 30M less 500,000 = 1,000,000. A fourth, 10M in
    2029-06, joins the 2028 lump: 5% of 20M less 500,000 = 500,000."""
    paid: list[PaidBefore] = []
    taxes = []
    for on, gross in [(MAR_2026.paid_on, 40_000_000), (NOV_2027.paid_on, 20_000_000),
                      (FEB_2028.paid_on, 60_000_000), (date(2029, 6, 1), 10_000_000)]:  # fmt: skip
        earlier_gross, earlier_tax = lump_sum_so_far(paid, on=on)
        payout = payout_compute(jht_balance=gross, jp_balance=0, percent=100, jp_included=False,
                                earlier_gross=earlier_gross, earlier_tax=earlier_tax)  # fmt: skip
        paid.append(PaidBefore(on, payout.gross, payout.tax))
        taxes.append(payout.tax)
    assert taxes == [0, 500_000, 500_000, 500_000]
    assert paid[:3] == [MAR_2026, NOV_2027, FEB_2028]
