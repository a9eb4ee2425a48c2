"""A local HTTP server on 127.0.0.1 that answers with recorded responses.

Recordings are pairs ``NAME.meta.json`` (method, url, status, headers) and ``NAME.body.json``
(the raw body), either the shared real recordings (``tests/fixtures/recorded/github-api``, read
only) or our own cases in ``fixtures/`` next to this file. The recorded origin
(``https://api.github.com``) is rewritten to the server's own in headers such as ``Link``, the way
a replaying proxy would, so pagination links lead back here. Headers that described the original
transfer (gzip, chunked, length) are dropped: the body is served as recorded."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

# The real recorded responses, copied byte for byte into the repository (see its README).
SHARED = Path(__file__).resolve().parents[2] / "fixtures" / "recorded" / "github-api"
LOCAL = Path(__file__).resolve().parent / "fixtures"
RECORDED_ORIGIN = "https://api.github.com"
_TRANSFER_HEADERS = {
    "content-length",
    "transfer-encoding",
    "content-encoding",
    "connection",
    "status",
}


@dataclass
class Recorded:
    name: str
    status: int
    headers: dict[str, str]
    body: bytes
    delay: float = 0.0


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class _Route:
    responses: deque[Recorded] = field(default_factory=deque)


def load(name: str) -> tuple[str, str, Recorded]:
    """``(method, url, recorded)`` of a recording, from our fixtures first, then the shared."""
    for folder in (LOCAL, SHARED):
        meta_path = folder / f"{name}.meta.json"
        if meta_path.exists():
            meta = json.loads(meta_path.read_text())
            body_path = folder / f"{name}.body.json"
            body = body_path.read_bytes() if body_path.exists() else b""
            headers = {str(k): str(v) for k, v in meta.get("headers", {}).items()}
            return meta["method"], meta["url"], Recorded(name, int(meta["status"]), headers, body)
    raise FileNotFoundError(f"no recording named {name}")


def _key(method: str, path: str, query: dict[str, str]) -> tuple[str, str, frozenset]:
    return method.upper(), path, frozenset(query.items())


class ReplayServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str, frozenset], _Route] = {}
        self.received: list[Received] = []
        self.unmatched: list[str] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.replay = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ReplayServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def serve(self, *names: str, at: str | None = None, delay: float = 0.0) -> ReplayServer:
        """Queue recordings, in order, for the URL of the first one (or ``at``: a path with an
        optional query). The last response of a route repeats."""
        for name in names:
            method, url, recorded = load(name)
            recorded.delay = delay
            parts = urlsplit(at if at is not None else url)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            key = _key(method, parts.path, query)
            self.routes.setdefault(key, _Route()).responses.append(recorded)
        return self

    def requests_to(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    def _answer(self, method: str, raw_path: str, headers: dict[str, str]) -> Recorded | None:
        parts = urlsplit(raw_path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        with self._lock:
            self.received.append(Received(method, parts.path, query, headers))
            route = self.routes.get(_key(method, parts.path, query))
            if route is None or not route.responses:
                self.unmatched.append(f"{method} {raw_path}")
                return None
            return route.responses.popleft() if len(route.responses) > 1 else route.responses[0]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        replay: ReplayServer = self.server.replay  # type: ignore[attr-defined]
        recorded = replay._answer("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
        if recorded is None:
            body = json.dumps({"message": f"no recording for GET {self.path}"}).encode()
            self._send(418, {"content-type": "application/json"}, body)
            return
        if recorded.delay:
            time.sleep(recorded.delay)
        headers = {
            k: v.replace(RECORDED_ORIGIN, replay.base_url)
            for k, v in recorded.headers.items()
            if k.lower() not in _TRANSFER_HEADERS
        }
        self._send(recorded.status, headers, b"" if recorded.status == 304 else recorded.body)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); nothing to tell it

    def log_message(self, format: str, *args: object) -> None:
        pass
