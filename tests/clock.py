"""The clock the suite runs on.

`SALDO_TEST_TODAY=YYYY-MM-DD` moves the whole run to that day (08:00 WIB), with the clock ticking
from there so timeouts and expiries still advance: the same suite must pass on any day, and code
that reads the clock where it should take a date shows up as a test that passes on one day and
fails on another. `.ci/run` runs one pass on such a day and one on the real date.

A test that means a particular day says so with `@pytest.mark.today(date(...))`: it runs with the
clock moved to that day (08:00 WIB, ticking), whatever the day of the run.
"""

import os
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

ENV = "SALDO_TEST_TODAY"
WIB = ZoneInfo("Asia/Jakarta")
MORNING = time(8, 0)  # far from midnight, so a run never crosses into the next day


def morning_of(day: date) -> datetime:
    return datetime.combine(day, MORNING, tzinfo=WIB)


def travel_day_from_env() -> date | None:
    """The day `SALDO_TEST_TODAY` names, None when unset; a usage error when it is not a date."""
    text = os.environ.get(ENV, "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or len(text) != len("YYYY-MM-DD"):
        raise pytest.UsageError(f"{ENV}={text!r} is not a date: write the day as YYYY-MM-DD, e.g. {ENV}=2027-03-01")
    return day


def pytest_configure(config):
    config.addinivalue_line("markers", "today(day): run the test with the clock on that day (08:00 WIB, ticking)")
    day = travel_day_from_env()
    if day is not None:
        config._saldo_clock = time_machine.travel(morning_of(day), tick=True)
        config._saldo_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "_saldo_clock", None)
    if clock is not None:
        clock.stop()


def pytest_report_header(config):
    day = travel_day_from_env()
    if day is None:
        today = datetime.now(WIB).date()
        return f"clock: the real date, {today:%Y-%m-%d} WIB (set {ENV}=YYYY-MM-DD to run on another day)"
    return f"clock: {ENV}={day:%Y-%m-%d}, ticking from {MORNING:%H:%M} WIB"


@pytest.fixture(autouse=True)
def _clock_on_the_marked_day(request):
    marker = request.node.get_closest_marker("today")
    if marker is None:
        yield
        return
    with time_machine.travel(morning_of(marker.args[0]), tick=True):
        yield
