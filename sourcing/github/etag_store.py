"""The ETag store (``sourcing.http.etags.EtagStore``) in the database, shared by every worker,
surviving restarts (the point of a 304 is that the next job, not only the next request, gets it).
It lives here, next to its model, so ``sourcing.http`` needs no model."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.utils import timezone

from sourcing.github.models import CachedResponse

# Bodies larger than this are not worth a row: a big search page changes on every request anyway.
MAX_CACHED_BODY = 512 * 1024
MAX_ETAG_LENGTH = 255  # the column's width


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class DatabaseEtagStore:
    def get(self, key: str) -> tuple[str, str] | None:
        row = CachedResponse.objects.filter(key=_digest(key)).values_list("etag", "body").first()
        return (row[0], row[1]) if row else None

    def put(self, key: str, *, url: str, etag: str, body: str) -> None:
        if len(body) > MAX_CACHED_BODY or len(etag) > MAX_ETAG_LENGTH:
            return
        CachedResponse.objects.update_or_create(
            key=_digest(key), defaults={"url": url, "etag": etag, "body": body}
        )


def cached_responses_prune(*, older_than: timedelta = timedelta(days=30)) -> int:
    """Drop entries nobody revalidated for a while; returns how many. Run by the beat."""
    deleted, _ = CachedResponse.objects.filter(updated_at__lt=timezone.now() - older_than).delete()
    return deleted
