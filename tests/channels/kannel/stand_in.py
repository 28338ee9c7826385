"""A real HTTP server on 127.0.0.1 standing in for Kannel's sendsms CGI: it answers a scripted
sequence of statuses and records every request it got."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

# What Kannel 1.4.5 answers (user guide table 7-16).
BODIES = {202: "0: Accepted for delivery", 403: "Authorization failed for sendsms", 503: "Temporal failure"}


class StandInSendsms:
    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)
        self.requests: list[dict[str, str]] = []
        self.url = ""

    def answer(self) -> int:
        # The last status repeats once the script is used up.
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]


@contextmanager
def sendsms_stand_in(statuses: list[int]) -> Iterator[StandInSendsms]:
    stand_in = StandInSendsms(statuses)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlsplit(self.path)
            stand_in.requests.append({"path": url.path, **dict(parse_qsl(url.query, keep_blank_values=True))})
            status = stand_in.answer()
            body = BODIES.get(status, "Internal Server Error").encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/sendsms"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield stand_in
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
