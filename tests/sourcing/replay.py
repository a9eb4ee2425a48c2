"""A local HTTP server that replays recorded upstream responses, so real clients (the ``arxiv``
package, ``requests``) make real HTTP requests and parse real bytes.

    server = ReplayServer()
    server.add("/api/query", {"start": "0"}, Reply.file(path))
    server.add("/api/query", {"start": "10"}, Reply(429, headers={"Retry-After": "1"}),
               Reply.file(p2))
    with server: ... server.url("/api/query") ...

A route matches on the path and a subset of query parameters; its replies are served in order and
the last one repeats. Every request is logged in ``server.requests`` with its arrival time."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "application/atom+xml; charset=UTF-8"

    @classmethod
    def file(cls, path: str | Path, **kwargs: Any) -> Reply:
        return cls(body=Path(path).read_bytes(), **kwargs)


@dataclass
class Route:
    path: str
    params: Mapping[str, str]
    replies: list[Reply]
    served: int = 0

    def matches(self, path: str, query: Mapping[str, str]) -> bool:
        return path == self.path and all(query.get(k) == v for k, v in self.params.items())

    def next_reply(self) -> Reply:
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


@dataclass
class Logged:
    path: str
    query: dict[str, str]
    at: float


class ReplayServer:
    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.requests: list[Logged] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    def add(self, path: str, params: Mapping[str, str] | None, *replies: Reply) -> Route:
        route = Route(path=path, params=dict(params or {}), replies=list(replies))
        with self._lock:
            self.routes.append(route)
        return route

    def url(self, path: str = "") -> str:
        assert self._httpd is not None, "start the server first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def hits(self, path: str) -> list[Logged]:
        return [r for r in self.requests if r.path == path]

    def _reply_for(self, raw_path: str) -> Reply:
        parts = urlsplit(raw_path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        with self._lock:
            self.requests.append(Logged(parts.path, query, time.monotonic()))
            for route in self.routes:
                if route.matches(parts.path, query):
                    return route.next_reply()
        return Reply(404, b"no route", content_type="text/plain")

    def start(self) -> ReplayServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                reply = server._reply_for(self.path)
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
