from decimal import Decimal
from fractions import Fraction

import pytest

from saldo.core.money import format_rupiah, round_half_up, share


@pytest.mark.parametrize(
    ("base", "bp", "expected"),
    [
        (5_000_025, 370, 185_001),  # 185,000.925 -> up (domain.md example)
        (5_000_025, 200, 100_001),  # 100,000.5 -> half up
        (5_000_025, 100, 50_000),  # 50,000.25 -> down
        (0, 370, 0),
        (1, 5_000, 1),  # 0.5 -> 1
    ],
)
def test_share_rounds_each_component_half_up(base, bp, expected):
    assert share(base, bp) == expected


def test_round_half_up_on_fractions_and_decimals():
    assert round_half_up(Fraction(1, 2)) == 1
    assert round_half_up(Fraction(-1, 2)) == -1
    assert round_half_up(Decimal("2.4999")) == 2


def test_rupiah_is_written_the_indonesian_way():
    assert format_rupiah(12_345_678) == "Rp12.345.678"
    assert format_rupiah(0) == "Rp0"
    assert format_rupiah(-1500) == "-Rp1.500"
