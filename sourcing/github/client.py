"""A small, polite JSON-over-HTTP client (requests) for GitHub and the paper catalogues.

Etiquette, in the order a request meets it:
1. one request at a time (``throttle.request_slot``);
2. if the last answer said the budget of this resource is spent, wait until its reset (or give up
   with ``RateLimited`` when that is further away than ``max_wait``);
3. conditional request: the cached ETag goes out as ``If-None-Match``; a 304 reuses the cached
   body and, on GitHub, does not count against the rate limit;
4. 403/429 that are rate limits: honour ``Retry-After``, else the primary reset, else back off
   exponentially with jitter; at most ``max_retries`` retries, never longer than ``max_wait`` each;
5. 5xx and connection errors: the same backoff; 404 -> ``NotFound``; other 4xx -> ``UpstreamError``.

The token is only sent when set, and only to the configured base URL's origin (pagination links
from elsewhere are not followed)."""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode, urljoin, urlsplit

import requests

from sourcing.github.errors import BadUpstreamData, NotFound, RateLimited, UpstreamError
from sourcing.github.throttle import (
    Budget,
    header,
    int_header,
    request_slot,
    retry_after_seconds,
    sleep_real,
)

logger = logging.getLogger(__name__)

# GitHub's advice for a secondary limit without headers: wait at least a minute.
SECONDARY_LIMIT_BASE_SECONDS = 60.0
SERVER_ERROR_BASE_SECONDS = 2.0


class EtagStore(Protocol):
    def get(self, key: str) -> tuple[str, str] | None:
        """``(etag, body)`` stored for ``key``, or None."""

    def put(self, key: str, *, url: str, etag: str, body: str) -> None: ...


@dataclass(frozen=True)
class ApiResponse:
    status: int
    data: Any
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    links: Mapping[str, str] = field(default_factory=dict)
    from_cache: bool = False


@dataclass
class ClientConfig:
    base_url: str
    token: str = ""
    timeout: float = 20.0
    max_retries: int = 4
    max_wait: float = 900.0
    user_agent: str = "hirebar-sourcing (+https://github.com/)"
    accept: str = "application/json"
    extra_headers: Mapping[str, str] = field(default_factory=dict)


class ApiClient:
    """Not thread-safe by design: one client serves one job, and requests are serialised anyway."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        etags: EtagStore | None = None,
        sleep: Callable[[float], None] = sleep_real,
        clock: Callable[[], float] = time.time,
        session: requests.Session | None = None,
    ) -> None:
        self.config = config
        self.etags = etags
        self.sleep = sleep
        self.clock = clock
        self.session = session or requests.Session()
        self.budgets: dict[str, Budget] = {}
        self.requests_made = 0
        self.not_modified = 0
        base = urlsplit(config.base_url)
        self._origin = (base.scheme, base.netloc)

    # --- public -------------------------------------------------------------------------------

    def get(
        self, path_or_url: str, *, params: Mapping[str, Any] | None = None, accept: str = ""
    ) -> ApiResponse:
        """GET a JSON document. Raises ``NotFound``, ``RateLimited``, ``BadUpstreamData`` or
        ``UpstreamError``; never returns a non-2xx/304 response."""
        url = self._url(path_or_url, params)
        resource = self._resource(url)
        accept = accept or self.config.accept
        cache_key = f"{accept} {url}"
        cached = self.etags.get(cache_key) if self.etags else None
        problem = "no answer"
        for attempt in range(self.config.max_retries + 1):
            self._wait_for_budget(resource)
            response = self._send(url, accept=accept, etag=cached[0] if cached else None)
            if response is None:
                problem = "no answer (connection error or timeout)"
                self._back_off(attempt, SERVER_ERROR_BASE_SECONDS, f"{problem} from {url}")
                continue
            budget_key = self._remember_budget(resource, response.headers)
            status = response.status_code
            if status == 304 and cached:
                self.not_modified += 1
                return self._parse(url, response, body=cached[1], from_cache=True)
            if status in (403, 429):
                delay = self._rate_limit_delay(response, attempt)
                if delay is not None:
                    problem = f"{status} {_message(response)}"
                    self._wait(delay, f"{problem} on {url}")
                    # This wait already covered the announced reset.
                    self.budgets.pop(budget_key, None)
                    continue
            if status >= 500:
                problem = f"{status} {_message(response)}"
                self._back_off(attempt, SERVER_ERROR_BASE_SECONDS, f"{problem} on {url}")
                continue
            if status == 404:
                raise NotFound(f"{url} does not exist (404).")
            if status >= 400 or status == 304:
                raise UpstreamError(f"{url} answered {status}: {_message(response)}")
            result = self._parse(url, response, body=response.text, from_cache=False)
            etag = header(response.headers, "etag")
            if self.etags and etag:
                self.etags.put(cache_key, url=url, etag=etag, body=response.text)
            return result
        raise RateLimited(
            f"Gave up on {url} after {self.config.max_retries + 1} attempts (last: {problem}); "
            "resume the run later."
        )

    def pages(self, path: str, *, params: Mapping[str, Any] | None = None) -> Iterator[ApiResponse]:
        """Follow ``Link: rel="next"`` from the first page; stops at a link to another origin."""
        response = self.get(path, params=params)
        yield response
        while next_url := response.links.get("next"):
            if not self._same_origin(next_url):
                logger.warning("not following pagination link to another origin: %s", next_url)
                return
            response = self.get(next_url)
            yield response

    # --- transport ----------------------------------------------------------------------------

    def _send(self, url: str, *, accept: str, etag: str | None) -> requests.Response | None:
        headers = {"Accept": accept, "User-Agent": self.config.user_agent}
        headers.update(self.config.extra_headers)
        if self.config.token and self._same_origin(url):
            headers["Authorization"] = f"Bearer {self.config.token}"
        if etag:
            headers["If-None-Match"] = etag
        with request_slot(self._origin[1]):
            self.requests_made += 1
            try:
                return self.session.get(
                    url, headers=headers, timeout=self.config.timeout, allow_redirects=True
                )
            except requests.RequestException as exc:
                logger.warning("request to %s failed: %s", url, exc)
                return None

    def _parse(
        self, url: str, response: requests.Response, *, body: str, from_cache: bool
    ) -> ApiResponse:
        try:
            data = json.loads(body) if body.strip() else None
        except ValueError as exc:
            raise BadUpstreamData(f"{url} did not answer JSON: {body[:80]!r}") from exc
        links = {rel: link["url"] for rel, link in response.links.items() if "url" in link}
        return ApiResponse(
            status=200 if from_cache else response.status_code,
            data=data,
            url=url,
            headers=dict(response.headers),
            links=links,
            from_cache=from_cache,
        )

    # --- rate limits --------------------------------------------------------------------------

    def _resource(self, url: str) -> str:
        return "search" if "/search/" in urlsplit(url).path else "core"

    def _remember_budget(self, resource: str, headers: Mapping[str, str]) -> str:
        named = header(headers, "x-ratelimit-resource") or resource
        remaining = int_header(headers, "x-ratelimit-remaining")
        if remaining is not None:
            self.budgets[named] = Budget(remaining, int_header(headers, "x-ratelimit-reset"))
        return named

    def _wait_for_budget(self, resource: str) -> None:
        # Named as GitHub names it in x-ratelimit-resource ("core", "search").
        budget = self.budgets.get(resource)
        if budget is None or budget.remaining != 0 or budget.reset_at is None:
            return
        delay = budget.reset_at - self.clock() + 1
        if delay > 0:
            self._wait(delay, f"{resource} budget spent until {budget.reset_at:.0f}")
        self.budgets.pop(resource, None)

    def _rate_limit_delay(self, response: requests.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when the 403/429 is not a rate limit."""
        if attempt >= self.config.max_retries:
            return None if response.status_code == 403 and not _is_limit(response) else 0.0
        retry_after = retry_after_seconds(response.headers, now=self.clock)
        if retry_after is not None:
            return retry_after
        if int_header(response.headers, "x-ratelimit-remaining") == 0:
            reset = int_header(response.headers, "x-ratelimit-reset")
            if reset is not None:
                return max(1.0, reset - self.clock() + 1)
            return self._backoff_seconds(attempt, SECONDARY_LIMIT_BASE_SECONDS)
        if response.status_code == 429 or _is_limit(response):
            return self._backoff_seconds(attempt, SECONDARY_LIMIT_BASE_SECONDS)
        return None

    def _backoff_seconds(self, attempt: int, base: float) -> float:
        # Full jitter keeps several workers that were limited together from retrying together.
        return base * (2**attempt) * (0.5 + random.random() / 2)

    def _back_off(self, attempt: int, base: float, why: str) -> None:
        if attempt < self.config.max_retries:
            self._wait(self._backoff_seconds(attempt, base), why)

    def _wait(self, seconds: float, why: str) -> None:
        if seconds > self.config.max_wait:
            raise RateLimited(
                f"Rate limited ({why}); the wait of {seconds:.0f}s exceeds the "
                f"{self.config.max_wait:.0f}s allowed. Resume the run later."
            )
        logger.info("waiting %.1fs: %s", seconds, why)
        self.sleep(seconds)

    # --- urls ---------------------------------------------------------------------------------

    def _url(self, path_or_url: str, params: Mapping[str, Any] | None) -> str:
        if path_or_url.startswith(("http://", "https://")):
            url = path_or_url
        else:
            url = urljoin(self.config.base_url.rstrip("/") + "/", path_or_url.lstrip("/"))
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params)
        return url

    def _same_origin(self, url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme, parts.netloc) == self._origin


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    return response.text[:200]


def _is_limit(response: requests.Response) -> bool:
    """A 403 whose message says it is a (secondary) rate limit."""
    return "rate limit" in _message(response).lower()
