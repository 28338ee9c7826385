"""`saldo bench`: time the wage-report import and returns crediting at scale against a raw floor.

Django reads DATABASE_URL once at start-up, and the services under test use the default
connection, so the command re-runs itself in a child process whose DATABASE_URL is the
dedicated bench database: the developer's database is never opened, and the code under test
runs exactly as in production.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from saldo.bench.database import DEFAULT_URL, BenchDatabase, BenchDatabaseError
from saldo.core.management.base import SaldoCommand


class Command(SaldoCommand):
    help = (
        "Benchmark on PostgreSQL: import an N-row wage report for N members and credit returns, "
        "against the raw floor (COPY + one UPDATE) in the same run; prints rows/s and ratio ours/floor."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--members", type=int, default=1_000_000, help="members and wage rows (default 1,000,000)"
        )
        parser.add_argument(
            "--database-url",
            default=DEFAULT_URL,
            help=f"bench database, dropped and recreated (default {DEFAULT_URL})",
        )
        parser.add_argument(
            "--keep", action="store_true", help="keep the bench database and the generated CSV files"
        )
        parser.add_argument(
            "--explain",
            metavar="FILE",
            help="diagnosis: log EXPLAIN (ANALYZE, BUFFERS) of slow statements to FILE (inflates timings)",
        )
        parser.add_argument(
            "--explain-min-ms", type=int, default=1000, help="with --explain: slower than this"
        )
        # The child process's mode: the generated files' directory. Not for people.
        parser.add_argument("--inside", metavar="WORKDIR", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["members"] < 1:
            raise CommandError("--members must be at least 1")
        try:
            database = BenchDatabase.from_url(options["database_url"])
        except BenchDatabaseError as exc:
            raise CommandError(str(exc)) from None
        if options["inside"]:
            self._inside(database, Path(options["inside"]), options)
        else:
            self._outside(database, options)

    def _outside(self, database: BenchDatabase, options: dict) -> None:
        if database.same_as(settings.DATABASES["default"]):
            raise CommandError(
                f"{database.name} is this installation's DATABASE_URL; choose another --database-url"
            )
        self.stdout.write(f"(re)creating database {database.name}")
        database.recreate()
        workdir = Path(tempfile.mkdtemp(prefix="saldo-bench-"))
        try:
            child = subprocess.run(
                self._child_argv(database, workdir, options), env=self._child_env(database)
            )
            returncode = child.returncode
        finally:
            if options["keep"]:
                self.stdout.write(f"kept: database {database.name}, files in {workdir}")
            else:
                database.drop()
                shutil.rmtree(workdir, ignore_errors=True)
        if returncode:
            raise CommandError(f"benchmark failed (exit status {returncode})", returncode=returncode)

    def _child_argv(self, database: BenchDatabase, workdir: Path, options: dict) -> list[str]:
        argv = [
            sys.executable,
            "-m",
            "saldo.cli",
            "bench",
            "--inside",
            str(workdir),
            "--members",
            str(options["members"]),
            "--database-url",
            database.url,
        ]
        if options["explain"]:
            argv += [
                "--explain",
                str(Path(options["explain"]).resolve()),
                "--explain-min-ms",
                str(options["explain_min_ms"]),
            ]
        return argv

    def _child_env(self, database: BenchDatabase) -> dict[str, str]:
        # DEBUG would make Django keep every SQL string; the benchmark measures production settings.
        return {**os.environ, "DATABASE_URL": database.url, "SALDO_DEBUG": "0"}

    def _inside(self, database: BenchDatabase, workdir: Path, options: dict) -> None:
        # Late imports: the runner pulls in every app's services, needed only in the child.
        from saldo.bench import report, runner

        if not database.same_as(connection.settings_dict):
            raise CommandError("--inside runs only with DATABASE_URL set to the bench database")

        def say(message: str) -> None:
            self.stdout.write(f"· {message}")
            self.stdout.flush()

        explain = Path(options["explain"]) if options["explain"] else None
        result = runner.run(
            workdir=workdir,
            members=options["members"],
            database=database.name,
            say=say,
            explain=explain,
            explain_min_ms=options["explain_min_ms"],
        )
        self.stdout.write(report.render(result))
        if result.mismatches:
            raise CommandError(f"ledger check failed: {len(result.mismatches)} accounts", returncode=1)
