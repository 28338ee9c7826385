"""`saldo bench-sms`: inbound SMS per second through the Kannel endpoint, beside the same
server's /healthz, measured in the same run.

The app is served by gunicorn on 127.0.0.1 against a dedicated PostgreSQL database holding N
members (imported with the production importer), phone numbers bound to the KPJ of some of them
(20,000 of a million by default: a national peak is many members asking once or twice each, not
a few asking all the time) and some months of iuran for those. The per-number rate limit is the
production one; the tally shows how many messages it refused.

A load generator (threads, one keep-alive http.client connection each) drives /healthz and then
POSTs messages as smsbox does with deploy/kannel/kannel.conf: balance requests (SALDO KPJ) from
bound numbers and from strangers, every one with its own Kannel message id. The phases
alternate, /healthz first and last, through the same connections and with the same number of
requests; each inbound phase is set against the mean of the /healthz phases either side of it,
and the median of those ratios is the figure. On a shared machine one phase can run slow or fast
for reasons of its own; alternating and taking the median keeps one such phase from deciding.
"""

import base64
import itertools
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.client import HTTPConnection, HTTPException
from pathlib import Path

from django.core.management import call_command
from django.db import DatabaseError, connection

from saldo.bench.data import (
    IMPORT_AS_OF,
    birth_date_of,
    employer_count,
    kpj_of,
    member_line,
    npp_of,
    start_date_of,
    wage_of,
)
from saldo.identity.models import PhoneBinding
from saldo.registry.models import Membership
from saldo.registry.services import MEMBER_COLUMNS, members_import

# PostgreSQL's Unix socket (Debian's directory): the database is on the same machine as the
# server, and that is how one reaches a database there. Over 127.0.0.1 TCP every message's two
# round trips cost both sides more CPU, and the commits' waits leave the CPUs idle more often:
# `--database-url postgres://postgres@127.0.0.1:5432/saldo_bench_sms` measures that.
DEFAULT_URL = "postgres://postgres@%2Fvar%2Frun%2Fpostgresql/saldo_bench_sms"
IURAN_PERIODS = ("2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06")
BOUND_SHARE = 0.8  # of inbound requests; the rest come from numbers bound to nothing
TARGET_RATIO = 0.5
Say = Callable[[str], None]


# ---------------------------------------------------------------------- population (bench database)
def phone_of(i: int) -> str:
    """Member i's number in the registry (saldo.bench.data writes +62812 and eight digits)."""
    return f"+62812{i:08d}"


def bound_members(*, members: int, bound: int) -> list[int]:
    """Which members have a bound phone: spread evenly over the registry."""
    step = max(members // bound, 1)
    return list(range(0, members, step))[:bound]


def population_create(*, workdir: Path, members: int, bound: int, now: datetime, say: Say) -> None:
    """Migrate, import N members, bind `bound` phones and post iuran for them. Runs in the process
    whose DATABASE_URL is the bench database."""
    call_command("migrate", verbosity=0)
    employers = employer_count(members)
    members_csv = workdir / "members.csv"
    _write_lines(members_csv, ",".join(MEMBER_COLUMNS), (member_line(i, employers) for i in range(members)))
    started = time.perf_counter()
    members_import(path=members_csv, as_of=IMPORT_AS_OF, now=now)
    say(f"setup: {members:,} members imported in {time.perf_counter() - started:.1f} s")
    chosen = bound_members(members=members, bound=bound)
    by_kpj = dict(Membership.objects.filter(kpj__in=[kpj_of(i) for i in chosen]).values_list("kpj", "id"))
    PhoneBinding.objects.bulk_create(
        PhoneBinding(phone=phone_of(i), membership_id=by_kpj[kpj_of(i)], channel="sms", bound_at=now) for i in chosen
    )
    wages_csv = workdir / "wages.csv"
    months = [(i, p) for p in IURAN_PERIODS for i in chosen if p >= f"{start_date_of(i, birth_date_of(i)):%Y-%m}"]
    lines = (f"{npp_of(i % employers)},{p},{kpj_of(i)},{wage_of(i)}" for i, p in months)
    _write_lines(wages_csv, "npp,period,kpj,wage", lines)
    # Imported here: contributions is a domain area this channel module otherwise never needs.
    from saldo.contributions.services import contributions_import

    contributions_import(path=wages_csv, as_of=IMPORT_AS_OF)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    say(f"setup: {len(chosen):,} phones bound, {len(months):,} months of iuran posted for them")
    _checkpoint(say)


def _checkpoint(say: Say) -> None:
    """Write the import's pages out now: left to the checkpointer and the kernel, gigabytes of
    them reach the disk during the measured phases, and every commit's WAL flush waits behind
    them (vmstat showed whole seconds at 57% iowait while a copy of the bench database was
    being written out)."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError as exc:  # CHECKPOINT needs a superuser or pg_checkpoint
        say(f"setup: no CHECKPOINT ({str(exc).strip()}); the first phases may wait on the disk")
        return
    say(f"setup: CHECKPOINT in {time.perf_counter() - started:.1f} s")


def _write_lines(path: Path, header: str, lines: Iterator[str]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(header + "\n")
        for chunk in iter(lambda: list(itertools.islice(lines, 100_000)), []):
            fh.write("\n".join(chunk) + "\n")


# ---------------------------------------------------------------------- the server
@dataclass(frozen=True)
class ServerShape:
    workers: int
    threads: int

    def describe(self) -> str:
        return f"gunicorn gthread, {self.workers} workers x {self.threads} threads"


@contextmanager
def gunicorn_serving(*, env: dict[str, str], shape: ServerShape, log: Path) -> Iterator[tuple[str, int]]:
    """gunicorn on 127.0.0.1:<free port> with the environment given; yields (host, port)."""
    port = _free_port()
    argv = [
        sys.executable, "-m", "gunicorn", "saldo.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--worker-class", "gthread", "--workers", str(shape.workers), "--threads", str(shape.threads),
        "--keep-alive", "30", "--backlog", "256",
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _await_healthy("127.0.0.1", port, server)
            yield "127.0.0.1", port
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _await_healthy(host: str, port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up; see its log")
        try:
            conn = HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


# ---------------------------------------------------------------------- the load
@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes
    headers: dict[str, str]
    kind: str  # what the reply should be: for the tally


@dataclass
class Phase:
    label: str
    requests: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    replies: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, p: int) -> float:
        if len(self.latencies) < 2:
            return 0.0
        return statistics.quantiles(self.latencies, n=100)[p - 1] * 1000


def healthz_requests() -> Iterator[Request]:
    while True:
        yield Request("GET", "/healthz", b"", {}, "healthz")


def inbound_requests(*, members: int, bound: list[int], secret: str, seed: int = 2757) -> Iterator[Request]:
    """What smsbox POSTs for "SALDO <KPJ>" (post-url of deploy/kannel/kannel.conf), each with its own %I.

    Bound numbers ask for their own KPJ; strangers (numbers bound to nothing) ask for some KPJ."""
    rng = random.Random(seed)
    auth = "Basic " + base64.b64encode(f"kannel:{secret}".encode()).decode()
    while True:
        if rng.random() < BOUND_SHARE:
            i = rng.choice(bound)
            sender, kpj, kind = "0" + phone_of(i)[3:], kpj_of(i), "balance"
        else:
            sender, kpj, kind = f"0899{rng.randrange(10**8):08d}", kpj_of(rng.randrange(members)), "not registered"
        headers = {
            "Authorization": auth,
            "Content-Type": 'text/plain; charset="UTF-8"',
            "User-Agent": "Kannel/1.4.5",
            "X-Kannel-From": sender,
            "X-Kannel-To": "2757",
        }
        path = f"/channels/kannel/inbound?id={uuid.UUID(int=rng.getrandbits(128))}&ts={int(time.time())}"
        yield Request("POST", path, f"SALDO {kpj}".encode(), headers, kind)


def reply_kind(body: bytes, *, refusal: str = "") -> str:
    """Tell the replies apart: a balance names an amount in rupiah (in either language);
    `refusal` is the rate-limit reply."""
    text = body.decode("utf-8", "replace")
    if text.startswith('{"status"'):
        return "healthz"
    if "Rp" in text:
        return "balance"
    if refusal and text == refusal:
        return "rate limited"
    return "not registered" if text else "empty"


def drive(
    *,
    host: str,
    port: int,
    label: str,
    requests: Iterator[Request],
    count: int,
    max_seconds: float,
    connections: int,
    refusal: str = "",
) -> Phase:
    """Send up to `count` requests over `connections` keep-alive connections, stopping at
    `max_seconds`; the clock covers the first request to the last answer. The requests are made
    before the clock starts: it measures the server, not the making of Kannel ids."""
    phase = Phase(label)
    lock = threading.Lock()
    pending = iter(list(itertools.islice(requests, count)))
    deadline = time.perf_counter() + max_seconds

    def next_request() -> Request | None:
        with lock:
            if time.perf_counter() > deadline:
                return None
            return next(pending, None)

    def worker() -> None:
        conn = HTTPConnection(host, port, timeout=30)
        latencies, statuses, replies, errors = [], Counter(), Counter(), 0
        while (request := next_request()) is not None:
            started = time.perf_counter()
            try:
                conn.request(request.method, request.path, body=request.body or None, headers=request.headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, HTTPException):
                errors += 1
                conn.close()
                conn = HTTPConnection(host, port, timeout=30)
                continue
            latencies.append(time.perf_counter() - started)
            statuses[response.status] += 1
            replies[reply_kind(body, refusal=refusal)] += 1
        conn.close()
        with lock:
            phase.latencies += latencies
            phase.statuses.update(statuses)
            phase.replies.update(replies)
            phase.errors += errors

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    phase.requests = len(phase.latencies)
    return phase


# ---------------------------------------------------------------------- the report
def round_ratios(phases: list[Phase]) -> list[float]:
    """Phases alternate /healthz, inbound, /healthz, …, /healthz: each inbound phase's req/s over
    the mean of the /healthz phases either side of it."""
    ratios = []
    for i in range(1, len(phases) - 1, 2):
        healthz = (phases[i - 1].per_second + phases[i + 1].per_second) / 2
        ratios.append(phases[i].per_second / healthz if healthz else 0.0)
    return ratios


def report(*, header: list[str], phases: list[Phase], stored: int, sent_inbound: int) -> str:
    rows = [f"{'endpoint':<36}{'requests':>10}{'seconds':>9}{'req/s':>10}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
            f"{'non-200':>9}"]  # fmt: skip
    for phase in phases:
        non_200 = phase.requests - phase.statuses.get(200, 0) + phase.errors
        rows.append(
            f"{phase.label:<36}{phase.requests:>10,}{phase.seconds:>9.1f}{phase.per_second:>10,.1f}"
            f"{phase.percentile_ms(50):>8.1f}{phase.percentile_ms(95):>8.1f}{phase.percentile_ms(99):>8.1f}{non_200:>9,}"
        )
    inbound = phases[1::2]
    tally = Counter()
    for phase in inbound:
        tally.update(phase.replies)
    replies = ", ".join(f"{kind} {n:,}" for kind, n in sorted(tally.items()))
    ratios = round_ratios(phases)
    ratio = statistics.median(ratios)
    verdict = "meets the target" if ratio >= TARGET_RATIO else "BELOW the target"
    return "\n".join(
        [
            *header,
            *rows,
            f"inbound replies: {replies}; messages stored: {stored:,} of {sent_inbound:,} sent (warm-up included)",
            "ratio inbound/healthz by round: " + ", ".join(f"{r:.3f}" for r in ratios),
            f"median ratio inbound/healthz: {ratio:.3f} (target >= {TARGET_RATIO:.2f}): {verdict}",
        ]
    )


def server_env(*, database_url: str, secret: str) -> dict[str, str]:
    """The bench server's environment: production settings (the per-number rate limit
    included), the bench database, our secret."""
    return {**os.environ, "DATABASE_URL": database_url, "SALDO_KANNEL_SECRET": secret, "SALDO_DEBUG": "0"}
