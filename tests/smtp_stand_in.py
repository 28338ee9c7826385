"""A mail server on 127.0.0.1 speaking enough SMTP (RFC 5321) for Django's smtp backend, which can
hold its greeting until the test lets it go: a mail server that is slow to answer."""

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message


@dataclass
class SmtpStandIn:
    port: int
    release: threading.Event
    connected: threading.Event = field(default_factory=threading.Event)
    received: threading.Event = field(default_factory=threading.Event)
    messages: list[Message] = field(default_factory=list)


class _Session(socketserver.StreamRequestHandler):
    stand_in: SmtpStandIn

    def handle(self) -> None:
        self.stand_in.connected.set()
        self.stand_in.release.wait(timeout=60)
        self._say("220 stand-in ESMTP")
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb == "DATA":
                self._say("354 end with <CRLF>.<CRLF>")
                self._receive_data()
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                self._say("250 ok")

    def _receive_data(self) -> None:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)  # dot-unstuffing
        self.stand_in.messages.append(message_from_bytes(b"".join(lines)))
        self.stand_in.received.set()

    def _say(self, reply: str) -> None:
        self.wfile.write(reply.encode("ascii") + b"\r\n")


@contextmanager
def smtp_stand_in(*, hold: bool = False) -> Iterator[SmtpStandIn]:
    """The server on a free port; with `hold`, each connection waits for `release.set()` before
    the greeting."""
    release = threading.Event()
    if not hold:
        release.set()
    stand_in = SmtpStandIn(port=0, release=release)
    handler = type("Session", (_Session,), {"stand_in": stand_in})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    stand_in.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stand_in
    finally:
        release.set()
        server.shutdown()
        server.server_close()
