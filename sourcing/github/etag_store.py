"""The ETag store (``sourcing.http.etags.EtagStore``) in the database, shared by every worker,
surviving restarts (the point of a 304 is that the next job, not only the next request, gets it).
It lives here, next to its model, so ``sourcing.http`` needs no model."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Q
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


def cached_responses_forget(*, logins: Iterable[str]) -> int:
    """Drop the cached answers whose URL or body names any of ``logins`` (case-insensitive, as
    a whole login: "ada" does not match "adam"); returns how many. For a person erased or
    skipped, whose profile and repositories were cached when they were fetched."""
    patterns = [
        rf"(^|[^A-Za-z0-9-]){re.escape(login)}([^A-Za-z0-9-]|$)" for login in logins if login
    ]
    if not patterns:
        return 0
    match = Q()
    for pattern in patterns:
        match |= Q(url__iregex=pattern) | Q(body__iregex=pattern)
    deleted, _ = CachedResponse.objects.filter(match).delete()
    return deleted
