"""The ``arxiv`` package's client, completed for production use.

``arxiv.Client`` (4.x) builds query URLs, paginates and parses Atom into ``arxiv.Result``; it has
no request timeout, ignores Retry-After, retries immediately without backoff, paces requests only
within one client object, and treats the API's HTTP 400 error feed as a retryable failure. Here:

* the base URL comes from ``settings.ARXIV_API_URL`` (4.x reads ``Client.query_url_format``);
* every request goes through a polite session (``sourcing.arxiv.http``): a timeout, the
  Redis-shared 3-second slot, and retries of what can heal (timeouts, connection errors,
  429/5xx) with backoff and jitter, honouring Retry-After;
* ``_parse_feed`` (the one method the package routes every page through) also retries an
  unexpectedly empty page, and turns permanent failures (400 error feed, an error entry,
  malformed XML, other statuses) into ``PermanentSourcingError`` with arXiv's own message."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import arxiv
import requests
from django.conf import settings
from lxml import etree

from sourcing.arxiv.http import arxiv_session
from sourcing.errors import PermanentSourcingError, TransientSourcingError
from sourcing.http.client import WaitListener
from sourcing.http.errors import GaveUp, ThrottleUnavailable, WaitTooLong
from sourcing.http.throttle import Throttle

MAX_PAGE_SIZE = 2000  # arXiv's documented maximum per request
ATOM = "{http://www.w3.org/2005/Atom}"
_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class RetryLater(TransientSourcingError):
    """The server asked for a pause longer than we wait inside one task."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def error_feed_message(content: bytes) -> str | None:
    """arXiv's error feed carries one entry whose id points at /api/errors; return its summary."""
    try:
        root = etree.fromstring(content, _STRICT)
    except etree.XMLSyntaxError:
        return None
    for entry in root.iter(f"{ATOM}entry"):
        entry_id = entry.findtext(f"{ATOM}id") or ""
        if "/api/errors" in entry_id:
            return (entry.findtext(f"{ATOM}summary") or entry_id).strip()
    return None


class ArxivClient(arxiv.Client):
    def __init__(
        self,
        *,
        page_size: int = 100,
        base_url: str | None = None,
        throttle: Throttle | None = None,
        timeout: float | None = None,
        max_attempts: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        on_wait: WaitListener | None = None,
    ) -> None:
        # The package's own pacing and retries are off: the polite session's replace them.
        super().__init__(page_size=min(page_size, MAX_PAGE_SIZE), delay_seconds=0, num_retries=0)
        self.query_url_format = f"{base_url or settings.ARXIV_API_URL}?{{}}"
        self.max_attempts = max_attempts or settings.ARXIV_MAX_ATTEMPTS
        self._polite = arxiv_session(
            throttle=throttle,
            timeout=timeout,
            attempts=self.max_attempts,
            sleep=sleep,
            on_wait=on_wait,
        )
        self._session = self._polite
        self._sleep = sleep
        self.total_results: int | None = None

    def _parse_feed(self, url: str, first_page: bool = True, _try_index: int = 0) -> Any:
        session = self._polite
        for attempt in range(1, self.max_attempts + 1):
            try:
                feed = super()._parse_feed(url, first_page=first_page, _try_index=0)
            except arxiv.UnexpectedEmptyPageError:
                if attempt < self.max_attempts:
                    self._sleep(session.policy.backoff(retry=attempt))
                continue
            except arxiv.HTTPError as exc:
                # The session retried every status that can heal: this one is final.
                response = session.last_response
                body = response.content if response is not None else b""
                message = error_feed_message(body) or "no error message"
                raise PermanentSourcingError(
                    f"arXiv API refused the query (HTTP {exc.status}): {message}"
                ) from exc
            except WaitTooLong as exc:
                raise RetryLater(
                    f"arXiv API: {exc.problem}, Retry-After {exc.seconds:.0f}s", exc.seconds
                ) from exc
            except GaveUp as exc:
                raise TransientSourcingError(
                    f"arXiv API: {exc.problem} (gave up after {exc.attempts} attempts)"
                ) from exc
            except ThrottleUnavailable as exc:
                raise TransientSourcingError(str(exc)) from exc
            self._check(session.last_response)
            self.total_results = feed.header.total_results
            return feed
        raise TransientSourcingError(
            f"arXiv API: an unexpectedly empty page (gave up after {self.max_attempts} attempts)"
        )

    @staticmethod
    def _check(response: requests.Response | None) -> None:
        """The package parses leniently (lxml ``recover=True``), so a truncated page would pass
        as a short one; parse strictly to refuse it, and refuse error entries sent with 200."""
        content = response.content if response is not None else b""
        try:
            etree.fromstring(content, _STRICT)
        except etree.XMLSyntaxError as exc:
            raise PermanentSourcingError(f"arXiv API sent malformed XML: {exc}") from exc
        if message := error_feed_message(content):
            raise PermanentSourcingError(f"arXiv API refused the query: {message}")
