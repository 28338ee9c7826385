"""A real HTTP server on 127.0.0.1 standing in for Meta's Graph API messages and media endpoints:
it records every request (path, headers, JSON body or multipart upload) and answers a scripted
sequence of statuses, with the bodies the Cloud API gives (a wamid or a media id on success,
Graph's error object otherwise)."""

import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GRAPH_ERRORS = {
    400: (100, "Invalid parameter", "OAuthException"),
    401: (190, "Invalid OAuth access token", "OAuthException"),
    429: (130429, "Rate limit hit", "OAuthException"),
    500: (1, "An unknown error occurred", "OAuthException"),
    503: (2, "Service temporarily unavailable", "OAuthException"),
}


@dataclass(frozen=True)
class GraphRequest:
    path: str
    authorization: str
    content_type: str
    body: dict

    @property
    def kind(self) -> str:
        """text, interactive, image or template."""
        return self.body["type"]

    @property
    def text(self) -> str:
        """What the member reads: the text, the interactive body or the template's parameter."""
        if self.kind == "text":
            return self.body["text"]["body"]
        if self.kind == "interactive":
            return self.body["interactive"]["body"]["text"]
        if self.kind == "image":
            return self.body["image"]["caption"]
        return self.body["template"]["components"][0]["parameters"][0]["text"]

    @property
    def options(self) -> list[tuple[str, str]]:
        """(id, title) of each button or list row."""
        if self.kind != "interactive":
            return []
        interactive = self.body["interactive"]
        if interactive["type"] == "button":
            return [(b["reply"]["id"], b["reply"]["title"]) for b in interactive["action"]["buttons"]]
        rows = [row for section in interactive["action"]["sections"] for row in section["rows"]]
        return [(row["id"], row["title"]) for row in rows]

    def option(self, title: str) -> str:
        """The id of the button or row titled `title` (what a tap on it sends back)."""
        ids = [option_id for option_id, option_title in self.options if option_title == title]
        assert ids, f"no option {title!r} in {self.options}"
        return ids[0]


@dataclass(frozen=True)
class MediaUpload:
    """A POST to /media: multipart fields messaging_product, type and file."""

    path: str
    authorization: str
    media_id: str
    fields: dict[str, str]
    file: bytes
    filename: str


class StandInGraph:
    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)
        self.requests: list[GraphRequest] = []
        self.uploads: list[MediaUpload] = []
        self.wamids: list[str] = []
        self.url = ""
        self._ids = itertools.count(1)
        # hold(): each request is recorded at once but answered only after release().
        self.arrived = threading.Event()
        self._released = threading.Event()
        self._released.set()

    def hold(self) -> None:
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    def answer(self) -> int:
        # The last status repeats once the script is used up.
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]

    def script(self, *statuses: int) -> None:
        self.statuses = list(statuses)

    def take(self) -> list[GraphRequest]:
        """The requests since the last take."""
        taken, self.requests = self.requests, []
        return taken


@contextmanager
def graph_stand_in(statuses: list[int]) -> Iterator[StandInGraph]:
    stand_in = StandInGraph(statuses)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            data = self.rfile.read(length)
            if self.path.endswith("/media"):
                return self._media(data)
            body = json.loads(data)
            stand_in.arrived.set()
            stand_in._released.wait(timeout=30)
            stand_in.requests.append(
                GraphRequest(
                    path=self.path,
                    authorization=self.headers.get("Authorization", ""),
                    content_type=self.headers.get("Content-Type", ""),
                    body=body,
                )
            )
            status = stand_in.answer()
            if status == 200:
                wamid = f"wamid.STANDIN{next(stand_in._ids):06d}"
                stand_in.wamids.append(wamid)
                answer = {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                    "messages": [{"id": wamid}],
                }
            else:
                code, message, kind = GRAPH_ERRORS.get(status, (1, "Unknown", "OAuthException"))
                answer = {"error": {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf"}}
            self._answer(status, answer)

        def _media(self, data: bytes):
            multipart = BytesParser(policy=email_policy).parsebytes(
                b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + data
            )
            fields, file, filename = {}, b"", ""
            for part in multipart.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if part.get_filename():
                    file, filename = part.get_payload(decode=True), part.get_filename()
                else:
                    fields[name] = part.get_content().strip()
            status = stand_in.answer()
            media_id = f"{4490709327714 + len(stand_in.uploads)}"
            if status == 200:
                stand_in.uploads.append(
                    MediaUpload(self.path, self.headers.get("Authorization", ""), media_id, fields, file, filename)
                )
                return self._answer(200, {"id": media_id})
            code, message, kind = GRAPH_ERRORS.get(status, (1, "Unknown", "OAuthException"))
            self._answer(status, {"error": {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf"}})

        def _answer(self, status: int, answer: dict):
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield stand_in
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
