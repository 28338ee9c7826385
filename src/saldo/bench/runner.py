"""One benchmark run inside the bench database: set up, time ours and the floor, check the ledger.

Runs in the process whose DATABASE_URL is the bench database (see the bench command), so the
services under test use Django's default connection exactly as in production.
"""

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.utils import timezone

from saldo.bench import floor
from saldo.bench.data import IMPORT_AS_OF, PERIOD, BenchFiles, files_generate
from saldo.contributions.services import contributions_import
from saldo.ledger.checks import Mismatch, ledger_mismatches
from saldo.registry.services import members_import
from saldo.returns.services import RATE_SCALE, rate_declare, returns_credit

RATE_PERCENT = "6.06"
Say = Callable[[str], None]
T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    count: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else float("inf")


@dataclass(frozen=True)
class BenchResult:
    members: int
    employers: int
    database: str
    server: dict[str, str]
    members_import: Timing
    import_ours: Timing
    import_floor: Timing
    returns_ours: Timing
    returns_floor: Timing
    ours_import_balances: int
    floor_import_balances: int
    ours_import_total: int
    floor_import_total: int
    entries: int
    mismatches: list[Mismatch]
    explain_file: Path | None


def _timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _sql(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


def _checkpoint() -> None:
    """Flush the previous step's dirty pages now, so its checkpoint is not billed to the next step."""
    # Without superuser rights there is no CHECKPOINT: the steps are a little noisier, still comparable.
    with contextlib.suppress(DatabaseError):
        _sql("CHECKPOINT")


def _settle() -> None:
    # What autovacuum would have done between an import and the next job in production (it is
    # off on this server): statistics and visibility maps for the tables just written.
    _sql("VACUUM ANALYZE")
    _checkpoint()


def _server_settings() -> dict[str, str]:
    names = ("server_version", "shared_buffers", "work_mem", "synchronous_commit", "max_wal_size", "jit")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)", [list(names)]
        )
        found = dict(cursor.fetchall())
    found["cpus"] = str(os.cpu_count())
    found["import_batch_rows"] = f"{settings.SALDO['IMPORT_BATCH_ROWS']:,}"
    return found


def _explain_enable(path: Path, min_ms: int) -> None:
    """Log the plan, with actual times, buffers and FK trigger times, of every statement over `min_ms`.

    auto_explain sees the statements the services issue inside their own transactions, which a
    hand-written EXPLAIN cannot (the staging tables are temporary). It needs a superuser."""
    _sql("LOAD 'auto_explain'")
    for name, value in (
        ("log_min_duration", str(int(min_ms))),
        ("log_analyze", "on"),
        ("log_buffers", "on"),
        ("log_triggers", "on"),
        ("log_nested_statements", "on"),
        ("log_level", "notice"),
    ):
        _sql(f"SET auto_explain.{name} = {value}")
    log = path.open("a", encoding="utf-8")

    def write(diagnostic) -> None:
        log.write(f"{diagnostic.message_primary}\n\n")
        log.flush()

    connection.connection.add_notice_handler(write)


def _entries_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM ledger_entry")
        return cursor.fetchone()[0]


def _ours_balances() -> tuple[int, int]:
    """(accounts holding money, their total) in ledger_account."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COALESCE(SUM(balance), 0) FROM ledger_account WHERE balance <> 0")
        count, total = cursor.fetchone()
        return int(count), int(total)


def _setup(workdir: Path, members: int, say: Say) -> tuple[BenchFiles, Timing]:
    call_command("migrate", interactive=False, verbosity=0)
    say(f"generating {members:,} members and their {PERIOD:%Y-%m} wage report in {workdir} (not timed)")
    files = files_generate(workdir, members)
    say("members_import (setup, timed for information)")
    result, seconds = _timed(
        lambda: members_import(path=files.members, as_of=IMPORT_AS_OF, now=timezone.now())
    )
    say("creating the floor's bare tables (not timed)")
    floor.tables_create()
    _settle()
    return files, Timing(result.memberships_created, seconds)


def run(
    *, workdir: Path, members: int, database: str, say: Say, explain: Path | None, explain_min_ms: int = 1000
) -> BenchResult:
    server = _server_settings()
    files, members_timing = _setup(workdir, members, say)
    if explain:
        _explain_enable(explain, explain_min_ms)
    say("floor: COPY the wage rows into the bare table + one UPDATE of the bare balances")
    (floor_rows, floor_balances), floor_import_s = _timed(lambda: floor.import_run(files.wages, PERIOD))
    _checkpoint()
    say("contributions_import")
    imported, ours_import_s = _timed(lambda: contributions_import(path=files.wages, as_of=IMPORT_AS_OF))
    (ours_balances, ours_import_total), floor_import_total = _ours_balances(), floor.balances_total()
    _settle()
    declared = rate_declare(year=PERIOD.year, rate_percent=RATE_PERCENT)
    say(f"floor: one UPDATE crediting {declared.rate_percent}% to every bare balance")
    floor_credited, floor_returns_s = _timed(
        lambda: floor.returns_run(int(declared.rate_percent * RATE_SCALE), RATE_SCALE)
    )
    _checkpoint()
    say(f"returns_credit {PERIOD.year}")
    as_of = date(PERIOD.year + 1, 1, 2)
    credited, ours_returns_s = _timed(lambda: returns_credit(year=PERIOD.year, as_of=as_of))
    say("ledger check (not timed)")
    return BenchResult(
        members=members,
        employers=files.employers,
        database=database,
        server=server,
        members_import=members_timing,
        import_ours=Timing(imported.posted, ours_import_s),
        import_floor=Timing(floor_rows, floor_import_s),
        ours_import_balances=ours_balances,
        floor_import_balances=floor_balances,
        returns_ours=Timing(credited.accounts_credited, ours_returns_s),
        returns_floor=Timing(floor_credited, floor_returns_s),
        ours_import_total=ours_import_total,
        floor_import_total=floor_import_total,
        entries=_entries_count(),
        mismatches=ledger_mismatches(),
        explain_file=explain,
    )
