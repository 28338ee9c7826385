"""Calendar helpers for wage months ("periods"). A period is the first day of its month."""

import calendar
import re
from collections.abc import Iterator
from datetime import date, datetime
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _

_PERIOD = re.compile(r"^([0-9]{4})-([0-9]{2})\Z")


def parse_period(text: str) -> date:
    """`YYYY-MM` -> first day of that month; ValueError on anything else."""
    match = _PERIOD.match(text.strip())
    if not match:
        raise ValueError(_("format periode harus YYYY-MM, mis. 2024-03"))
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(_("bulan harus 01 sampai 12"))
    if year < 1977:
        raise ValueError(_("tahun terlalu lama"))
    return date(year, month, 1)


def format_period(period: date) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def month_start(day: date) -> date:
    return day.replace(day=1)


@lru_cache(maxsize=4096)  # imports ask for the same few months a million times
def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def iter_periods(first: date, last: date) -> Iterator[date]:
    """Every period from `first` to `last` inclusive (both normalised to month starts)."""
    current, last = month_start(first), month_start(last)
    while current <= last:
        yield current
        current = add_months(current, 1)


def last_complete_period(as_of: date) -> date:
    """The latest month that has fully ended on `as_of` (as of 10 May: April)."""
    return add_months(month_start(as_of), -1)


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 1 March in a common year
    (a leap-day child is not a year older until February is over)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def wib(moment: datetime) -> str:
    """A moment as the member reads it: DD-MM-YYYY HH:MM in the fund's time zone (WIB)."""
    return f"{timezone.localtime(moment, timezone.get_default_timezone()):%d-%m-%Y %H:%M}"
