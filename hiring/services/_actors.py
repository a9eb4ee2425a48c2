"""Who performs a write. Kept apart so that, when the ``core`` app takes over the ``User`` alias,
one import changes here and every services module follows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser

User = AuthUser | AnonymousUser | None


def _actor(user: User) -> Any:
    """The user to record as the author of a write: ``None`` for anonymous callers and system
    work (commands, tasks), since the ``*_by`` columns point at real accounts only."""
    return user if user is not None and user.is_authenticated else None
