"""A real Kannel 1.4.5 for the end-to-end tests: bearerbox and smsbox from Debian's `kannel`
package, with /usr/lib/kannel/test/fakesmsc (package `kannel-extras`) standing in for the
operator's SMSC, all on 127.0.0.1.

The configuration is deploy/kannel/kannel.conf itself: its core, smsbox, sms-service and
sendsms-user groups are used as written, with only ports, file paths, the app's address and the
secrets replaced, and its SMPP group swapped for the fake SMSC. What the tests pass is what a
deployment runs.

Gotchas this works around (shared/channels.md §1): smsbox and fakesmsc PANIC if bearerbox is not
listening yet, so its ports are awaited (read from /proc/net/tcp: probing the fake SMSC port with a
connection would make the probe its client); fakesmsc never exits and serves one client at a
time, so it is killed by pid after each message; the store file is per test (a fresh directory),
so no message queued by one test reaches the next.
"""

import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

BEARERBOX = Path("/usr/sbin/bearerbox")
SMSBOX = Path("/usr/sbin/smsbox")
FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")
DEPLOY_CONF = Path(__file__).resolve().parents[3] / "deploy" / "kannel" / "kannel.conf"
SHORT_CODE = "2757"
NOTICE_PREFIX = "Saldo: "  # identity.notices.notice_sms
SENDSMS_PASSWORD = "sendsms-e2e"
# Generous: these bound a wait for something that normally takes ~0.1 s, on a loaded CI box.
DEADLINE_SECONDS = 15
_GOT = re.compile(r"Got message \d+: <(\S+) (\S+) text (.*)>$")


def kannel_missing() -> str:
    """Why the end-to-end tests cannot run here ('' when they can)."""
    missing = [str(p) for p in (BEARERBOX, SMSBOX, FAKESMSC) if not p.exists()]
    if missing:
        return f"Kannel not installed ({', '.join(missing)}): apt-get install kannel kannel-extras"
    return ""


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it; closed again at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Sms:
    sender: str
    to: str
    text: str


@dataclass
class Kannel:
    workdir: Path
    app_url: str  # http://127.0.0.1:PORT of the Django app
    secret: str
    get_url: bool = False  # the deploy file's commented get-url instead of its post-url
    # The deploy file's logging as written (log levels, access log and its format), and the boxes
    # started as Debian's init script starts them (-v 4: only panics on the console). Otherwise
    # every box logs at debug level, which the tests read when something fails.
    shipped_logging: bool = False
    overrides: dict = field(default_factory=dict)  # group -> {key: value}, applied last
    ports: dict = field(default_factory=dict)
    _boxes: list = field(default_factory=list)

    def __post_init__(self):
        self.ports = {name: free_port() for name in ("admin", "smsbox", "smsc", "sendsms")}

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['sendsms']}/cgi-bin/sendsms"

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        conf = self.workdir / "kannel.conf"
        conf.write_text(self.config())
        console = ["-v", "4"] if self.shipped_logging else []
        self._boxes.append(self._spawn([BEARERBOX, *console, conf], "bearerbox.out"))
        self._await_listening(self.ports["smsbox"], self.ports["smsc"])
        self._boxes.append(self._spawn([SMSBOX, *console, conf], "smsbox.out"))
        self._await_listening(self.ports["sendsms"])

    def stop(self) -> None:
        for box in reversed(self._boxes):
            _end(box)
        self._boxes.clear()

    def _spawn(self, argv: list, log_name: str) -> subprocess.Popen:
        log = (self.workdir / log_name).open("wb")
        return subprocess.Popen([str(a) for a in argv], stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir)

    def _await_listening(self, *ports: int) -> None:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not all(_listening(p) for p in ports):
            if time.monotonic() > deadline or any(b.poll() is not None for b in self._boxes):
                raise RuntimeError(f"Kannel did not start; see {self.workdir}\n{self.logs()}")
            time.sleep(0.01)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.workdir.glob("*.out"))

    # ------------------------------------------------------------------ the handset side
    def mo(self, sender: str, text: str) -> str:
        """Text `text` from `sender` to the short code; the reply smsbox sends back. A security
        notice the message caused (sent through sendsms, e.g. "a number was bound") may reach the
        handset before or after the reply: it is not the reply."""
        with self.handset(f"{sender} {SHORT_CODE} text {text}") as handset:
            reply = handset.wait_for_reply()
        assert (reply.sender, reply.to) == (SHORT_CODE, sender)
        return reply.text

    def handset(self, message: str | None = None) -> "Handset":
        """A fakesmsc client: sends `message` once if given, and collects what comes back."""
        return Handset(self, message)

    # ------------------------------------------------------------------ configuration
    def config(self) -> str:
        groups = [g for g in parse_conf(DEPLOY_CONF.read_text()) if g[0][1] != "smsc"]
        by_name = {g[0][1]: g for g in groups}
        base = f"http://kannel:{self.secret}@{self.app_url.removeprefix('http://')}/channels/kannel/"
        d = self.workdir
        debug = {} if self.shipped_logging else {"log-level": 0}
        overrides = {
            "core": {
                "admin-port": self.ports["admin"],
                "admin-password": "e2e",
                "smsbox-port": self.ports["smsbox"],
                "log-file": f'"{d}/bearerbox.log"',
                **debug,
                "store-location": f'"{d}/kannel.store"',
            },
            "smsbox": {
                "bearerbox-port": self.ports["smsbox"],
                "sendsms-port": self.ports["sendsms"],
                "log-file": f'"{d}/smsbox.log"',
                **debug,
            },
            "sendsms-user": {"password": SENDSMS_PASSWORD},
        }
        text = []
        for name, lines in by_name.items():
            values = dict(lines)
            values.update(overrides.get(name, {}))
            if "access-log" in values:  # its own file in the work folder, never /var/log
                values["access-log"] = f'"{d}/{name}-access.log"'
            values.update(self.overrides.get(name, {}))
            if name == "sms-service":
                values = self._service(values, base)
            text.append("\n".join(f"{k} = {v}" for k, v in values.items() if not k.startswith("#")))
        fake_smsc = {
            "group": "smsc",
            "smsc": "fake",
            "smsc-id": "fake",  # delivery reports need an smsc-id
            "port": self.ports["smsc"],
            "connect-allow-ip": "127.0.0.1",
        }
        text.insert(1, "\n".join(f"{k} = {v}" for k, v in fake_smsc.items()))
        return "\n\n".join(text) + "\n"

    def _service(self, values: dict, base: str) -> dict:
        if self.get_url:
            values["get-url"] = values.pop("#get-url")
            values.pop("post-url")
            values.pop("send-sender")
        key = "get-url" if self.get_url else "post-url"
        values[key] = re.sub(r"https?://[^/]+/channels/kannel/", base, values[key])
        return values


class Handset:
    """One fakesmsc process; what it logs as "Got message" is what a handset would receive."""

    def __init__(self, kannel: Kannel, message: str | None):
        self.kannel = kannel
        self.log = kannel.workdir / f"fakesmsc-{time.monotonic_ns()}.out"
        # -m 1 sends the message once (-m 0: none, just listen); -i 0: at once.
        count = ["-m", "1", message] if message else ["-m", "0", "listen"]
        argv = [str(FAKESMSC), "-H", "127.0.0.1", "-r", str(kannel.ports["smsc"]), "-i", "0", *count]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=self.log.open("wb"))

    def __enter__(self) -> "Handset":
        return self

    def __exit__(self, *exc) -> None:
        _end(self.process)

    def received(self) -> list[Sms]:
        lines = self.log.read_text(errors="replace").splitlines()
        return [Sms(*m.groups()) for line in lines if (m := _GOT.search(line))]

    def wait_for_reply(self) -> Sms:
        """The first message that is not a security notice (those start "Saldo: ")."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not (replies := [m for m in self.received() if not m.text.startswith(NOTICE_PREFIX)]):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"fakesmsc got no reply\n{self.kannel.logs()}")
            time.sleep(0.01)
        return replies[0]

    def wait_for(self, count: int) -> list[Sms]:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while len(got := self.received()) < count:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"fakesmsc got {len(got)} of {count} messages\n{self.kannel.logs()}")
            time.sleep(0.01)
        return got


def parse_conf(text: str) -> list[list[tuple[str, str]]]:
    """kannel.conf groups as (key, value) lines; a commented-out `#key = value` keeps its '#'."""
    groups: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        m = re.match(r"^(#?)([a-z][a-z0-9-]*)\s*=\s*(.*)$", line.strip())
        if not m:
            continue
        key, value = m[1] + m[2], m[3]
        if key == "group":
            groups.append([])
        if groups:
            groups[-1].append((key, value))
    return groups


def _listening(port: int) -> bool:
    """Whether something listens on 127.0.0.1:port, without connecting to it."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                return True
    return False


def _end(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
