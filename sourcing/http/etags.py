"""Where conditional requests keep what they revalidate.

A store maps a key (``representation_key``) to the ETag and body of the last 200. The client
sends the ETag as ``If-None-Match``; a 304 then answers with the stored body (and, on GitHub, does
not count against the rate limit). The store the workers share is in the database
(``sourcing.github.etag_store``, next to its model)."""

from __future__ import annotations

from typing import Protocol


class EtagStore(Protocol):
    def get(self, key: str) -> tuple[str, str] | None:
        """``(etag, body)`` stored for ``key``, or None."""

    def put(self, key: str, *, url: str, etag: str, body: str) -> None:
        """Keep (or replace) the ETag and body for ``key``; a store may decline large bodies."""


def representation_key(*, url: str, accept: str) -> str:
    """What one stored answer is an answer to: the full URL (query included) and the media type
    asked for, since one URL serves several representations. Stored rows are keyed this way."""
    return f"{accept} {url}"
