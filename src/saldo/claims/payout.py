"""How much a claim pays: gross per programme, the final PPh 21 withheld, and the net. Pure.

Tax (shared/domain.md §5): final PPh 21 on lump-sum old-age payments, 0% on the first
Rp50,000,000 of gross and 5% above. Payments to the same person within two calendar years count
as one lump sum (PP 68/2009). The window is anchored on the lump sum's first payment: it covers
that payment's calendar year and the next, and does not slide with later payments; a payment
after it starts a new lump sum with its own window (lump_sum_so_far). Each payment withholds the
tax on its lump sum's running total less the tax already withheld. Partial withdrawals are
aggregated the same way (the post-2023 rule is unconfirmed). Ordinary (non-final) PPh 21 on
payments outside the window is out of scope: such a payment is taxed as a new lump sum.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from saldo.core.money import Rupiah, share

TAX_FREE_GROSS: Rupiah = 50_000_000
TAX_RATE_BASIS_POINTS = 500  # 5%
TAX_WINDOW_YEARS = 2  # calendar years, counting the year of the lump sum's first payment


@dataclass(frozen=True)
class Payout:
    jht: Rupiah  # gross from the JHT account
    jp: Rupiah  # gross from the JP account (lump sum), 0 when the rules give none
    tax: Rupiah
    # The tax split over the accounts in proportion to their gross, so each account pays its share.
    tax_jht: Rupiah
    tax_jp: Rupiah

    @property
    def gross(self) -> Rupiah:
        return self.jht + self.jp

    @property
    def net(self) -> Rupiah:
        return self.gross - self.tax

    def as_json(self) -> dict:
        return {"jht": self.jht, "jp": self.jp, "gross": self.gross, "tax": self.tax, "net": self.net}


def lump_sum_tax(gross: Rupiah) -> Rupiah:
    """Final PPh 21 on a lump sum of `gross` (60,000,000 -> 500,000)."""
    return share(gross - TAX_FREE_GROSS, TAX_RATE_BASIS_POINTS) if gross > TAX_FREE_GROSS else 0


@dataclass(frozen=True)
class PaidBefore:
    """A payment the person already had: the day paid, its gross and the tax withheld on it."""

    paid_on: date
    gross: Rupiah
    tax: Rupiah


def lump_sum_so_far(payments: Sequence[PaidBefore], *, on: date) -> tuple[Rupiah, Rupiah]:
    """(earlier gross, earlier tax) of the lump sum a payment made on `on` joins; (0, 0) when it
    starts a new one. Payments after `on` are not earlier and are ignored; one made on `on`
    itself (a claim paid the same day) is."""
    anchor: date | None = None
    gross = tax = 0
    for payment in sorted((p for p in payments if p.paid_on <= on), key=lambda p: p.paid_on):
        if anchor is None or not _in_window(payment.paid_on, anchor=anchor):
            anchor, gross, tax = payment.paid_on, 0, 0
        gross += payment.gross
        tax += payment.tax
    if anchor is None or not _in_window(on, anchor=anchor):
        return 0, 0
    return gross, tax


def _in_window(day: date, *, anchor: date) -> bool:
    """Whether `day` falls in the window of the lump sum first paid on `anchor`: its calendar
    year and the next (anchored 2026-06-01: 2026-01-01 to 2027-12-31)."""
    return anchor.year <= day.year < anchor.year + TAX_WINDOW_YEARS


def jht_share(balance: Rupiah, percent: int) -> Rupiah:
    """The JHT a claim pays: all of it, or `percent` of it rounded down (a partial claim pays at most its share)."""
    return balance if percent >= 100 else balance * percent // 100


def payout_compute(
    *,
    jht_balance: Rupiah,
    jp_balance: Rupiah,
    percent: int,
    jp_included: bool,
    earlier_gross: Rupiah,
    earlier_tax: Rupiah,
) -> Payout:
    """The payout of one claim. `earlier_gross`/`earlier_tax`: what the person was paid and had
    withheld earlier in the lump sum this payment joins (lump_sum_so_far)."""
    jht = jht_share(max(jht_balance, 0), percent)
    jp = max(jp_balance, 0) if jp_included else 0
    tax = max(0, lump_sum_tax(earlier_gross + jht + jp) - earlier_tax)
    tax = min(tax, jht + jp)
    tax_jp = tax * jp // (jht + jp) if jp else 0
    return Payout(jht=jht, jp=jp, tax=tax, tax_jht=tax - tax_jp, tax_jp=tax_jp)
