"""A real HTTP receiver on 127.0.0.1 that answers webhooks as scripted and keeps every request
it got (headers and raw body), so tests verify signatures exactly as an ATS would.

    with Receiver(Answer(500), Answer(200)) as receiver:
        ... receiver.url() ... receiver.wait_for(2) ...

Answers are served in order and the last one repeats. An answer can wait (``delay``) or block
until released (``block``), to play a receiver that hangs."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    status: int = 200
    body: bytes = b'{"ok": true}'
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    block: threading.Event | None = None
    echo: bool = False  # answer with the payload it got, as some receivers do


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]


class Receiver:
    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers) or [Answer()]
        self.received: list[Received] = []
        self._served = 0
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    def url(self, path: str = "/hook") -> str:
        assert self._httpd is not None, "start the receiver first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.05)
        raise AssertionError(f"got {len(self.received)} requests, expected {count}")

    def _next_answer(self, request: Received) -> Answer:
        with self._lock:
            self.received.append(request)
            answer = self.answers[min(self._served, len(self.answers) - 1)]
            self._served += 1
        return answer

    def __enter__(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                answer = receiver._next_answer(Received(self.path, headers, body, time.monotonic()))
                if answer.block is not None:
                    answer.block.wait(120)
                if answer.delay:
                    time.sleep(answer.delay)
                content = body if answer.echo else answer.body
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                except OSError:
                    pass  # the sender gave up (timeout) or died

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        for answer in self.answers:
            if answer.block is not None:
                answer.block.set()
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()
