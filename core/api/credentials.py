"""A token's credentials (the token, its user and the user's permissions) kept in Django's cache
between requests, so an API request needs no query to know who is calling and what they may do.

Loading them is three queries (the token with its user, the user's permissions, the group
permissions) and, with the ORM work around them, most of the CPU time of a cheap request such as a
page of the candidate list. They change rarely, and when they change the change must count at once.

Invalidation: every entry is stored with the *generation* that was current when the request
started reading the database. Any change to a user, a group, a permission, a token, or to who holds
which group or permission replaces the generation (signals, connected by ``connect_invalidation``),
so the next request in any process sharing the cache misses and reads the database again: a deleted
token is a 401, a deactivated user a 401, a revoked permission a 403, on the very next request.
The generation is replaced as soon as the row is written (for reads in the same transaction) and
again once the transaction commits: a request in another process that read the old rows before the
commit stored them under the first replacement, which the second retires. Saving only a user's
``last_login`` (every interactive login) changes nothing a request may do and keeps the generation.

Changes that send no signal are not seen: ``QuerySet.update()`` on users or groups, ``bulk_create``
on the membership tables, raw SQL. Call ``credentials_forget_all`` after those. Entries also expire
after ``ENTRY_SECONDS`` whatever happens, which bounds the damage of a missed replacement (the cache
unreachable at the moment of a change).

The cache must be shared by every process that serves the API or changes accounts (Redis in
production), otherwise a change made in one process is not seen by the others: hence the
``API_CREDENTIALS_CACHE`` setting, off unless the settings provide such a cache.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from rest_framework.authtoken.models import Token, TokenProxy

logger = logging.getLogger(__name__)

GENERATION_KEY = "api-credentials:generation"
ENTRY_SECONDS = 60


def _entry_key(key: str) -> str:
    # Tokens are secrets: the cache (and whoever can list its keys) sees only their digests.
    return "api-credentials:token:" + hashlib.sha256(key.encode()).hexdigest()


def _load(key: str, *, with_permissions: bool) -> Token | None:
    try:
        token = Token.objects.select_related("user").get(key=key)
    except Token.DoesNotExist:
        return None
    if with_permissions and token.user.is_active:
        # Fills the user's permission caches (ModelBackend's ``_perm_cache`` and friends), which
        # travel with the pickled user: ``has_perm`` then runs no query.
        token.user.get_all_permissions()
    return token


def token_with_user(*, key: str) -> Token | None:
    """The token with this key and its ``user`` (with the user's permissions loaded when the
    cache is on), or None for an unknown key. The caller checks ``user.is_active``. An unreachable
    cache costs the queries, not the request."""
    if not settings.API_CREDENTIALS_CACHE:
        return _load(key, with_permissions=False)
    entry_key = _entry_key(key)
    try:
        found = cache.get_many([GENERATION_KEY, entry_key])
        generation = found.get(GENERATION_KEY)
        entry = found.get(entry_key)
        if generation is not None and entry is not None and entry[0] == generation:
            cached: Token = entry[1]
            return cached
        if generation is None:
            # First use, or evicted. Whichever process starts it, the generation is known before
            # the database is read, as always.
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(GENERATION_KEY)
    except Exception:
        logger.warning("credentials cache unreachable; reading the database", exc_info=True)
        return _load(key, with_permissions=False)
    token = _load(key, with_permissions=True)
    if token is not None and generation is not None:
        try:
            cache.set(entry_key, (generation, token), timeout=ENTRY_SECONDS)
        except Exception:
            logger.warning("credentials cache unreachable; not caching", exc_info=True)
    return token


def _replace_generation() -> None:
    # An outage must not fail the change itself (deactivating a user while Redis is down must
    # work); the entries cached before it then expire after ENTRY_SECONDS.
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.error("credentials cache unreachable; cached entries expire on their own")


def credentials_forget_all(*, using: str = "default") -> None:
    """Make every cached credential stale, now and again when the current transaction on
    ``using`` commits (at once outside a transaction)."""
    if not settings.API_CREDENTIALS_CACHE:
        return
    _replace_generation()
    transaction.on_commit(_replace_generation, using=using)


def _on_change(sender: Any, *, using: str = "default", **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    credentials_forget_all(using=using)


def _on_membership_change(
    sender: Any, *, action: str, using: str = "default", **kwargs: Any
) -> None:
    if action.startswith("post_"):
        credentials_forget_all(using=using)


def connect_invalidation() -> None:
    """Connect the signals that make cached credentials stale (from ``AppConfig.ready``)."""
    user_model = get_user_model()
    for model in (user_model, Group, Permission, Token, TokenProxy):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"credentials-save-{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"credentials-delete-{model}")
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(
            _on_membership_change, sender=through, dispatch_uid=f"credentials-m2m-{through}"
        )
