"""Wage months ("periods"): a period is the first day of its month."""

from datetime import date

import pytest

from saldo.core.periods import (
    add_months,
    format_period,
    iter_periods,
    last_complete_period,
    month_end,
    month_start,
    parse_period,
)


def test_a_period_is_written_yyyy_mm_and_is_the_first_day_of_its_month():
    assert parse_period("2024-03") == date(2024, 3, 1)
    assert parse_period(" 2024-03 ") == date(2024, 3, 1)
    assert format_period(date(2024, 3, 1)) == "2024-03"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-3", "format periode harus YYYY-MM, mis. 2024-03"),
        ("03-2024", "format periode harus YYYY-MM, mis. 2024-03"),
        ("2024/03", "format periode harus YYYY-MM, mis. 2024-03"),
        ("", "format periode harus YYYY-MM, mis. 2024-03"),
        ("2024-00", "bulan harus 01 sampai 12"),
        ("2024-13", "bulan harus 01 sampai 12"),
        ("1976-12", "tahun terlalu lama"),
    ],
)
def test_anything_else_is_not_a_period(text, message):
    with pytest.raises(ValueError) as excinfo:
        parse_period(text)
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2024, 2, 10), date(2024, 2, 1), date(2024, 2, 29)),
        (date(2023, 2, 28), date(2023, 2, 1), date(2023, 2, 28)),
        (date(2024, 12, 31), date(2024, 12, 1), date(2024, 12, 31)),
        (date(2024, 4, 1), date(2024, 4, 1), date(2024, 4, 30)),
    ],
)
def test_month_start_and_end(day, start, end):
    assert (month_start(day), month_end(day)) == (start, end)


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (0, date(2024, 1, 1)),
        (1, date(2024, 2, 1)),
        (-1, date(2023, 12, 1)),
        (12, date(2025, 1, 1)),
        (-13, date(2022, 12, 1)),
        (23, date(2025, 12, 1)),
    ],
)
def test_adding_months_crosses_years(months, expected):
    assert add_months(date(2024, 1, 31), months) == expected


def test_iterating_periods_includes_both_ends_from_any_day_of_the_month():
    assert list(iter_periods(date(2023, 11, 15), date(2024, 2, 3))) == [
        date(2023, 11, 1),
        date(2023, 12, 1),
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]
    assert list(iter_periods(date(2024, 3, 1), date(2024, 2, 1))) == []


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2024, 5, 10), date(2024, 4, 1)),
        (date(2024, 5, 31), date(2024, 4, 1)),
        (date(2024, 1, 1), date(2023, 12, 1)),
    ],
)
def test_the_last_complete_period_is_the_month_before_the_as_of_month(as_of, expected):
    assert last_complete_period(as_of) == expected
