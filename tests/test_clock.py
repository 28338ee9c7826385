"""The clock the suite runs on (tests/clock.py): SALDO_TEST_TODAY moves the whole run, a test's
`today` mark moves that test, and the clock keeps ticking either way."""

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from tests.clock import travel_day_from_env
from tests.edge_days import LEAP_DAY

ROOT = Path(__file__).resolve().parent.parent


def test_the_run_is_on_the_day_saldo_test_today_names():
    day = travel_day_from_env()
    assert timezone.localdate() == (day or date.today())


@pytest.mark.today(LEAP_DAY)
def test_a_marked_test_runs_on_its_day_and_the_clock_ticks():
    first = timezone.now()
    time.sleep(0.01)
    assert timezone.localdate() == date.today() == LEAP_DAY
    assert timezone.now() > first


@pytest.mark.parametrize("text", ["tomorrow", "2027-02-30"])
def test_a_day_that_is_not_a_date_stops_the_run_at_once(text):
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q", __file__],
        cwd=ROOT, env={**os.environ, "SALDO_TEST_TODAY": text}, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == pytest.ExitCode.USAGE_ERROR
    assert f"SALDO_TEST_TODAY={text!r} is not a date: write the day as YYYY-MM-DD" in run.stderr
    assert "collected" not in run.stdout
