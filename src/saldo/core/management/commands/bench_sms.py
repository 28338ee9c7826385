"""`saldo bench-sms`: inbound SMS per second through the Kannel endpoint with N members on
PostgreSQL, beside the same gunicorn's /healthz; prints both and their ratio (target >= 0.5).

The database is dedicated (dropped and recreated); the population is made by this command
re-run in a child process whose DATABASE_URL is the bench database, as `saldo bench` does, so
the developer's database is never opened and the importer runs exactly as in production.
"""

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from saldo.bench.database import BenchDatabase, BenchDatabaseError
from saldo.channels.commands import replies
from saldo.channels.kannel import bench
from saldo.core.management.base import SaldoCommand


class Command(SaldoCommand):
    help = (
        "Benchmark on PostgreSQL: inbound SMS/s through /channels/kannel/inbound (gunicorn on 127.0.0.1) "
        "with N members, beside /healthz on the same server; prints req/s, latencies and the ratio."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=1_000_000, help="members imported (default 1,000,000)")
        parser.add_argument("--bound", type=int, default=20_000, help="members with a bound phone (default 20,000)")
        parser.add_argument("--requests", type=int, default=8_000, help="measured requests per phase")
        parser.add_argument("--rounds", type=int, default=5, help="inbound phases, each between two /healthz phases")
        parser.add_argument("--warmup", type=int, default=1_000, help="unmeasured requests per endpoint first")
        parser.add_argument("--max-seconds", type=float, default=120, help="time cap per measured phase")
        parser.add_argument("--connections", type=int, default=16, help="keep-alive client connections")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3, for 2 cores)")
        # Workers x threads >= --connections: an SMS request waits on PostgreSQL (its commit is
        # an fsync), and a request queued behind busy threads would measure the queue, not the app.
        parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (default 8)")
        parser.add_argument(
            "--database-url", default=bench.DEFAULT_URL, help=f"dropped and recreated (default {bench.DEFAULT_URL})"
        )
        parser.add_argument("--keep", action="store_true", help="keep the bench database and the work directory")
        # The child process's mode: populate the bench database in WORKDIR. Not for people.
        parser.add_argument("--populate", metavar="WORKDIR", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["members"] < 1 or not 1 <= options["bound"] <= options["members"]:
            raise CommandError("need --members >= 1 and 1 <= --bound <= --members")
        if options["rounds"] < 1 or options["requests"] < 1:
            raise CommandError("need --rounds >= 1 and --requests >= 1")
        try:
            database = BenchDatabase.from_url(options["database_url"])
        except BenchDatabaseError as exc:
            raise CommandError(str(exc)) from None
        if options["populate"]:
            self._populate(database, Path(options["populate"]), options)
            return
        if database.same_as(settings.DATABASES["default"]):
            raise CommandError(f"{database.name} is this installation's DATABASE_URL; choose another --database-url")
        self._run(database, options)

    def _populate(self, database: BenchDatabase, workdir: Path, options: dict) -> None:
        if not database.same_as(connection.settings_dict):
            raise CommandError("--populate runs only with DATABASE_URL set to the bench database")
        bench.population_create(
            workdir=workdir, members=options["members"], bound=options["bound"], now=self.now(), say=self._say
        )

    def _run(self, database: BenchDatabase, options: dict) -> None:
        self._say(f"(re)creating database {database.name}")
        database.recreate()
        workdir = Path(tempfile.mkdtemp(prefix="saldo-bench-sms-"))
        try:
            self._populate_in_child(database, workdir, options)
            self.stdout.write(self._measure(database, workdir, options))
        finally:
            if options["keep"]:
                self._say(f"kept: database {database.name}, files and server log in {workdir}")
            else:
                database.drop()
                shutil.rmtree(workdir, ignore_errors=True)

    def _populate_in_child(self, database: BenchDatabase, workdir: Path, options: dict) -> None:
        argv = [
            sys.executable, "-m", "saldo.cli", "bench-sms", "--populate", str(workdir),
            "--members", str(options["members"]), "--bound", str(options["bound"]), "--database-url", database.url,
        ]  # fmt: skip
        env = {**os.environ, "DATABASE_URL": database.url, "SALDO_DEBUG": "0"}
        if subprocess.run(argv, env=env).returncode:
            raise CommandError("populating the bench database failed", returncode=1)

    def _measure(self, database: BenchDatabase, workdir: Path, options: dict) -> str:
        secret = secrets.token_urlsafe(24)
        shape = bench.ServerShape(workers=options["workers"], threads=options["threads"])
        env = bench.server_env(database_url=database.url, secret=secret)
        bound = bench.bound_members(members=options["members"], bound=options["bound"])
        inbound = bench.inbound_requests(members=options["members"], bound=bound, secret=secret)
        load = {"connections": options["connections"]}
        with translation.override(settings.LANGUAGE_CODE):
            refusal = replies.rate_limited().text  # as the server words it
        with bench.gunicorn_serving(env=env, shape=shape, log=workdir / "gunicorn.log") as (host, port):
            run = {"host": host, "port": port, "refusal": refusal, **load}
            self._say(f"serving on {host}:{port} ({shape.describe()}); warming up")
            for label, requests in (("warm-up healthz", bench.healthz_requests()), ("warm-up inbound", inbound)):
                bench.drive(label=label, requests=requests, count=options["warmup"], max_seconds=60, **run)
            phases = []
            count, cap = options["requests"], options["max_seconds"]
            for label, requests in self._phases(inbound, rounds=options["rounds"]):
                self._say(f"measuring {label}")
                phases.append(bench.drive(label=label, requests=requests, count=count, max_seconds=cap, **run))
        stored, server_version = self._bench_db_facts(database)
        header = [
            f"saldo bench-sms: {options['members']:,} members, {len(bound):,} bound phones, "
            f"PostgreSQL {server_version} ({database.name} via {database.host}), {os.cpu_count()} CPUs",
            f"server: {shape.describe()} on 127.0.0.1; client: {options['connections']} keep-alive connections "
            f"(Python threads), {options['requests']:,} requests per phase after {options['warmup']:,} warm-up, "
            f"cap {options['max_seconds']:.0f} s; {options['rounds']} inbound phases between /healthz phases",
            f"inbound mix: {bench.BOUND_SHARE:.0%} SALDO from bound numbers (balance), the rest from unbound numbers; "
            f"every message its own Kannel id; per-number rate limit {settings.SALDO_CHANNELS['RATE_LIMIT_MESSAGES']} "
            f"an hour (production setting)",
        ]
        sent = options["warmup"] + sum(phase.requests for phase in phases[1::2])
        return bench.report(header=header, phases=phases, stored=stored, sent_inbound=sent)

    def _phases(self, inbound: Iterator[bench.Request], *, rounds: int) -> Iterator[tuple[str, Iterator]]:
        """/healthz, inbound, /healthz, …, inbound, /healthz: `rounds` inbound phases."""
        for round_ in range(1, rounds + 1):
            yield f"GET /healthz ({round_})", bench.healthz_requests()
            yield f"POST /channels/kannel/inbound ({round_})", inbound
        yield f"GET /healthz ({rounds + 1})", bench.healthz_requests()

    def _bench_db_facts(self, database: BenchDatabase) -> tuple[int, str]:
        with psycopg.connect(database.url) as conn:
            stored = conn.execute("SELECT count(*) FROM channels_inboundmessage").fetchone()[0]
            version = conn.execute("SHOW server_version").fetchone()[0]
        return stored, version.split()[0]

    def _say(self, message: str) -> None:
        self.stdout.write(f"· {message}")
        self.stdout.flush()
