"""HTTPS to a receiver: the connection goes to the address the SSRF check allowed, and TLS still
checks the certificate against the URL's host name (a real TLS server on 127.0.0.1 with a
certificate for ``localhost`` made by openssl)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from core.webhooks import delivery


class _Ok(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def tls_receiver(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], cert
    finally:
        server.shutdown()
        server.server_close()


def test_https_verifies_the_certificate_against_the_host_name(tls_receiver, monkeypatch):
    port, cert = tls_receiver

    # an unknown certificate authority is refused
    refused = delivery.post(url=f"https://localhost:{port}/hook", body=b"{}", headers={})
    assert refused.status_code is None
    assert "CERTIFICATE_VERIFY_FAILED" in refused.error

    # trusting it (and nothing else changed), the name matches although the socket went to
    # the checked address
    original = requests.Session.request

    def trusting(self: requests.Session, method: str, url: str, **kwargs: Any) -> Any:
        return original(self, method, url, **{**kwargs, "verify": str(cert)})

    monkeypatch.setattr(requests.Session, "request", trusting)
    made = delivery.post(url=f"https://localhost:{port}/hook", body=b"{}", headers={})
    assert (made.status_code, made.excerpt) == (200, "ok")
