"""Minimum wages for the demo population, so wages look like Indonesian payslips.

UMP figures are approximate, as reported in the news each November for the next year; they are
demo data, not a reference (2026 figures are the least certain). Years after the table grow by
`LATER_GROWTH` a year so a later --as-of still works.
"""

from saldo.demo.regions import Regency

FIRST_YEAR = 2019
LATER_GROWTH = 0.06

# Province code -> UMP 2019, 2020, ..., 2026 (whole rupiah per month).
UMP: dict[int, tuple[int, ...]] = {
    11: (2_916_810, 3_165_031, 3_165_031, 3_166_460, 3_413_666, 3_460_672, 3_685_616, 3_932_552),  # Aceh
    12: (2_303_403, 2_499_423, 2_499_423, 2_522_609, 2_710_493, 2_809_915, 2_992_559, 3_228_971),  # Sumut
    13: (2_289_228, 2_484_041, 2_484_041, 2_512_539, 2_742_476, 2_811_449, 2_994_193, 3_182_955),  # Sumbar
    14: (2_662_025, 2_888_564, 2_888_564, 2_938_564, 3_191_662, 3_294_625, 3_508_776, 3_780_495),  # Riau
    16: (2_804_453, 3_043_111, 3_144_446, 3_144_446, 3_404_177, 3_456_874, 3_681_571, 3_942_963),  # Sumsel
    18: (2_240_646, 2_432_001, 2_432_001, 2_440_486, 2_633_284, 2_716_497, 2_893_069, 3_047_734),  # Lampung
    21: (2_769_683, 3_005_383, 3_005_460, 3_050_172, 3_279_194, 3_402_492, 3_623_654, 3_879_520),  # Kepri
    31: (3_940_973, 4_276_349, 4_416_186, 4_641_854, 4_901_798, 5_067_381, 5_396_761, 5_729_876),  # DKI
    32: (1_668_372, 1_810_351, 1_810_351, 1_841_487, 1_986_670, 2_057_495, 2_191_232, 2_317_601),  # Jabar
    33: (1_605_396, 1_742_015, 1_798_979, 1_812_935, 1_958_169, 2_036_947, 2_169_349, 2_327_386),  # Jateng
    34: (1_570_923, 1_704_608, 1_765_000, 1_840_915, 1_981_782, 2_125_897, 2_264_080, 2_417_495),  # DIY
    35: (1_630_059, 1_768_777, 1_868_777, 1_891_567, 2_040_244, 2_165_244, 2_305_985, 2_446_880),  # Jatim
    36: (2_267_990, 2_460_996, 2_460_996, 2_501_203, 2_661_280, 2_727_812, 2_905_119, 3_100_881),  # Banten
    51: (2_297_968, 2_494_000, 2_494_000, 2_516_971, 2_713_672, 2_813_672, 2_996_560, 3_207_459),  # Bali
    52: (2_012_610, 2_183_883, 2_183_883, 2_207_212, 2_371_407, 2_444_067, 2_602_931, 2_673_861),  # NTB
    53: (1_795_000, 1_950_000, 1_950_000, 1_975_000, 2_123_994, 2_186_826, 2_328_969, 2_455_898),  # NTT
    61: (2_211_500, 2_399_698, 2_399_699, 2_434_328, 2_608_601, 2_702_616, 2_878_286, 3_054_552),  # Kalbar
    63: (2_651_781, 2_877_448, 2_877_449, 2_906_473, 3_149_977, 3_282_812, 3_496_194, 3_725_000),  # Kalsel
    64: (2_747_561, 2_981_378, 2_981_378, 3_014_497, 3_201_396, 3_360_858, 3_579_313, 3_762_431),  # Kaltim
    71: (3_051_076, 3_310_723, 3_310_723, 3_310_723, 3_485_000, 3_545_000, 3_775_425, 4_002_630),  # Sulut
    73: (2_860_382, 3_103_800, 3_165_876, 3_165_876, 3_385_145, 3_434_298, 3_657_527, 3_921_088),  # Sulsel
    91: (3_240_900, 3_516_700, 3_516_700, 3_561_932, 3_864_696, 4_024_270, 4_285_848, 4_436_283),  # Papua
}


def provincial_minimum(province: int, year: int) -> int:
    """The province's UMP for `year` (2019 onwards)."""
    series = UMP[province]
    index = year - FIRST_YEAR
    if index < 0:
        raise ValueError(f"no demo UMP before {FIRST_YEAR}")
    if index < len(series):
        return series[index]
    return round(series[-1] * (1 + LATER_GROWTH) ** (index - len(series) + 1))


def regional_minimum(regency: Regency, year: int) -> int:
    """The regency's approximate UMK: never below the UMP."""
    ump = provincial_minimum(regency.province, year)
    return max(ump, round(ump * regency.umk_factor))


def monthly_wage(
    *, regency: Regency, year: int, multiple: float, raise_rate: float, years_in_job: int
) -> int:
    """A worker's wage for a year: a multiple of the local minimum, plus yearly raises.

    Workers on the minimum (`multiple == 1`) get exactly the UMK, as payslips show; the rest are
    rounded to Rp1.000, and never fall below the minimum when it rises faster than their raise."""
    minimum = regional_minimum(regency, year)
    if multiple <= 1.0:
        return minimum
    wage = minimum * multiple * (1 + raise_rate) ** years_in_job
    return max(minimum, round(wage / 1000) * 1000)
