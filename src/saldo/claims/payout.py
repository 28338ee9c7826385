"""How much a claim pays: gross per programme, the final PPh 21 withheld, and the net. Pure.

Tax (shared/domain.md §5): final PPh 21 on lump-sum old-age payments, 0% on the first
Rp50,000,000 of gross and 5% above. Payments to the same person within two calendar years (the
year paid and the one before) count as one lump sum: each payment withholds the tax on the running
total less the tax already withheld. Partial withdrawals are aggregated the same way (the post-2023
rule is unconfirmed). Ordinary (non-final) PPh 21 on payments outside the window is out of scope:
a payment outside it starts a new lump sum.
"""

from dataclasses import dataclass
from datetime import date

from saldo.core.money import Rupiah, share

TAX_FREE_GROSS: Rupiah = 50_000_000
TAX_RATE_BASIS_POINTS = 500  # 5%
TAX_WINDOW_YEARS = 2  # calendar years, counting the year of payment


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


def in_tax_window(paid_on: date, *, on: date) -> bool:
    """Whether a payment made on `paid_on` is aggregated with one made on `on`."""
    return on.year - TAX_WINDOW_YEARS < paid_on.year <= on.year


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
    withheld within the tax window before this payment."""
    jht = jht_share(max(jht_balance, 0), percent)
    jp = max(jp_balance, 0) if jp_included else 0
    tax = max(0, lump_sum_tax(earlier_gross + jht + jp) - earlier_tax)
    tax = min(tax, jht + jp)
    tax_jp = tax * jp // (jht + jp) if jp else 0
    return Payout(jht=jht, jp=jp, tax=tax, tax_jht=tax - tax_jp, tax_jp=tax_jp)
