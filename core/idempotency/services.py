"""The rules of ``Idempotency-Key``: claiming a key for a request, remembering its answer,
letting it go after a server error, and the purge.

Every move of a row is a compare-and-set on (id, still in progress, ``claimed_at``), so a request
that lost its claim (taken over as abandoned, or purged) never overwrites the answer of the one
that holds it now. The claim is committed before the view runs (its own transaction; the API
runs without ``ATOMIC_REQUESTS``), so a concurrent repeat sees it and is answered 409."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User as AuthUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.idempotency.models import IdempotencyKey

# A claim this old without an answer belongs to a request that died (a worker killed, a
# deployment): gunicorn kills a request after 30 s, so ten minutes is never a live one. Taking it
# over lets the client's retry run instead of answering 409 until the key is purged.
ABANDONED_AFTER = timedelta(minutes=10)


class Outcome(enum.Enum):
    RUN = "run"  # the key is this request's now: run the view, then record or release
    REPLAY = "replay"  # same account, same request, finished: answer the stored answer
    IN_PROGRESS = "in_progress"  # the same request is running now: 409
    MISMATCH = "mismatch"  # same account, another request: 422
    OTHER_ACCOUNT = "other_account"  # another account's key: 400


@dataclass(frozen=True)
class Claim:
    outcome: Outcome
    row: IdempotencyKey | None


def request_fingerprint(*, method: str, path: str, body: bytes) -> str:
    """What "the same request" means: method, path with query string, body byte for byte."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        # Length-prefixed, so no two different requests concatenate to the same bytes.
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def idempotency_key_claim(*, user: AuthUser, key: str, fingerprint: str) -> Claim:
    """Decide what a request carrying ``key`` gets. ``RUN`` comes with a committed row in
    progress that the caller must finish with ``idempotency_key_record`` or
    ``idempotency_key_release``; every other outcome wrote nothing."""
    row = IdempotencyKey.objects.filter(key=key).first()
    if row is None:
        now = timezone.now()
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    key=key, user=user, fingerprint=fingerprint, created_at=now, claimed_at=now
                )
        except IntegrityError:
            # Another request inserted the key between our read and our insert: the unique
            # constraint settles the race, and the loser is judged against the winner's row.
            row = IdempotencyKey.objects.filter(key=key).first()
            if row is None:
                # The winner already failed with a server error and let the key go.
                return Claim(Outcome.IN_PROGRESS, None)
        else:
            return Claim(Outcome.RUN, row)
    return _judge(row, user=user, fingerprint=fingerprint)


def _judge(row: IdempotencyKey, *, user: AuthUser, fingerprint: str) -> Claim:
    if row.user_id != user.pk:
        return Claim(Outcome.OTHER_ACCOUNT, None)
    if row.fingerprint != fingerprint:
        return Claim(Outcome.MISMATCH, row)
    if row.finished:
        return Claim(Outcome.REPLAY, row)
    now = timezone.now()
    if row.claimed_at < now - ABANDONED_AFTER:
        taken = _in_progress(row).update(claimed_at=now)
        if taken:
            row.claimed_at = now
            return Claim(Outcome.RUN, row)
    return Claim(Outcome.IN_PROGRESS, row)


def _in_progress(row: IdempotencyKey) -> QuerySet[IdempotencyKey]:
    return IdempotencyKey.objects.filter(
        pk=row.pk, status_code__isnull=True, claimed_at=row.claimed_at
    )


def idempotency_key_record(
    *, row: IdempotencyKey, status_code: int, content_type: str, body: bytes
) -> bool:
    """Store the answer of the request holding ``row``'s claim; False if it no longer holds it
    (taken over or purged meanwhile), in which case nothing is written."""
    return bool(
        _in_progress(row).update(
            status_code=status_code,
            content_type=content_type,
            body=body,
            finished_at=timezone.now(),
        )
    )


def idempotency_key_release(*, row: IdempotencyKey) -> None:
    """Forget a claim whose request ended in a server error, so the client's retry runs it
    again instead of being answered the error (which may have been transient)."""
    _in_progress(row).delete()


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """Delete the keys first sent more than ``IDEMPOTENCY_KEY_TTL_HOURS`` ago (finished or
    abandoned); return how many. One ``DELETE`` on the ``created_at`` index: nothing refers to
    these rows and no signal listens, so Django deletes them without loading them."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def idempotency_answers_scrub(*, terms: Iterable[str], scrub: Callable[[str], str]) -> int:
    """Pass the stored answers that mention any of ``terms`` through ``scrub`` (GDPR erasure: an
    answer to a POST may carry the person's name). The key stays, so a retry still replays
    instead of creating the person again. Only keys younger than the TTL exist (the purge), so
    reading them all is bounded."""
    wanted = [t.casefold() for t in terms if t]
    changed = []
    for row in IdempotencyKey.objects.exclude(body=b"").only("pk", "body").iterator(chunk_size=200):
        text = bytes(row.body).decode("utf-8", errors="replace")
        if not any(t in text.casefold() for t in wanted):
            continue
        row.body = scrub(text).encode()
        changed.append(row)
    IdempotencyKey.objects.bulk_update(changed, ["body"], batch_size=200)
    return len(changed)
