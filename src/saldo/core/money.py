"""Money is integer whole rupiah. Fractions exist only inside a computation, rounded once."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Rupiah = int


def round_half_up(value: Fraction | Decimal | int) -> Rupiah:
    """Round to whole rupiah, halves away from zero (the project's rounding rule)."""
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def share(base: Rupiah, basis_points: int) -> Rupiah:
    """`basis_points`/10000 of `base`, exact, then rounded half up (3.7% = 370 bp)."""
    return _half_up_div(base * basis_points, 10_000)


def _half_up_div(numerator: int, denominator: int) -> int:
    # Exact integer rounding; Decimal would need a context wide enough for big balances.
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


def format_rupiah(amount: Rupiah) -> str:
    """Indonesian style: Rp12.345.678 (dot thousands separator, no decimals)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")
