"""The days a date rule gets wrong. Every date rule (iuran falling due, aktif/non-aktif, the age of a
claim, the end of a returns year) has a table test with a row for each of them."""

from datetime import date

FIRST = date(2027, 3, 1)  # the 1st of a month, after a short February
FIFTEENTH = date(2027, 3, 15)  # iuran for last month is due today: not late yet
SIXTEENTH = date(2027, 3, 16)  # ... and late from today
LAST_OF_MONTH = date(2027, 3, 31)
NEW_YEARS_EVE = date(2026, 12, 31)
LEAP_DAY = date(2028, 2, 29)

EDGE_DAYS = (FIRST, FIFTEENTH, SIXTEENTH, LAST_OF_MONTH, NEW_YEARS_EVE, LEAP_DAY)


def missing_edge_days(days) -> set[date]:
    """The edge days a table has no row for (empty when it covers them all)."""
    return set(EDGE_DAYS) - set(days)
