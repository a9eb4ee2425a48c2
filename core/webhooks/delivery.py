"""One HTTP POST to a receiver: a timeout on connecting and on every read, no redirects (a
redirect could lead anywhere, including inside our network), no proxies from the environment,
and the target's address checked at connection time (``ssrf``), so a name that passed when the
endpoint was saved and resolves to an internal address now is still refused."""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from typing import Any

import requests
import urllib3
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from core.webhooks import ssrf

SUCCESS = range(200, 300)

# Enough of a receiver's answer to see what went wrong, not enough to fill the table.
EXCERPT_BYTES = 2048


class _Guarded:
    """Connects to an address of the host that ``ssrf`` allows, resolved here, at connection
    time."""

    _dns_host: str
    port: int

    def _new_conn(self) -> Any:
        try:
            addresses = ssrf.checked_addresses(self._dns_host, self.port)
        except ssrf.TargetRefused as exc:
            raise NewConnectionError(self, f"Refused: {exc}") from exc  # type: ignore[arg-type]
        host = self._dns_host
        # The socket goes to the address just checked; TLS and the Host header still use the
        # name (restored before urllib3 reads it for them).
        self._dns_host = str(addresses[0])
        try:
            return super()._new_conn()  # type: ignore[misc]
        finally:
            self._dns_host = host


class _GuardedHTTPConnection(_Guarded, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_Guarded, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPPool,
            "https": _GuardedHTTPSPool,
        }


@dataclass(frozen=True)
class Response:
    """What came of one POST: a status code, or an error when there was no answer."""

    status_code: int | None
    duration_ms: int
    error: str = ""
    excerpt: str = ""
    retry_after: float | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code in SUCCESS


def _session() -> requests.Session:
    session = requests.Session()
    # HTTP(S)_PROXY from the environment would make the proxy resolve and connect, around the
    # address check.
    session.trust_env = False
    adapter = _GuardedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP date; ``None`` if absent
    or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


def post(*, url: str, body: bytes, headers: dict[str, str]) -> Response:
    """POST ``body`` to ``url``; never raises for what the network or the receiver does."""
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        with _session() as session:
            answer = session.post(
                url,
                data=body,
                headers=headers,
                timeout=(min(timeout, 5.0), timeout),
                allow_redirects=False,
                stream=True,
            )
            with answer:
                try:
                    raw = answer.raw.read(EXCERPT_BYTES, decode_content=True) or b""
                except (urllib3.exceptions.HTTPError, OSError):
                    # The status line came; a body that stalls or breaks only loses the excerpt.
                    raw = b""
    except SoftTimeLimitExceeded:
        # A receiver trickling its answer byte by byte resets the read timeout each time; the
        # task's time limit ends it.
        return Response(None, elapsed(), error="Cut off by the delivery's time limit.")
    except requests.Timeout:
        return Response(None, elapsed(), error=f"Timed out after {timeout:g} s.")
    except requests.RequestException as exc:
        return Response(None, elapsed(), error=_describe(exc))
    return Response(
        answer.status_code,
        elapsed(),
        excerpt=raw.decode("utf-8", errors="replace"),
        retry_after=retry_after_seconds(answer.headers.get("Retry-After")),
    )


def _describe(exc: requests.RequestException) -> str:
    """What went wrong, in a line: requests wraps urllib3's ``MaxRetryError`` around the
    actual reason, whose text starts with the connection's repr."""
    reason: object = exc.args[0] if exc.args else exc
    reason = getattr(reason, "reason", None) or reason
    text = str(reason)
    if "): " in text:
        text = text.split("): ", 1)[1]
    return text[:500]
