"""Who is acting: the user behind a request, and the user a write is recorded against."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from rest_framework.request import Request

# ``AUTH_USER_MODEL`` is Django's own User; selectors receive whoever asks, signed in or not.
User = AuthUser | AnonymousUser
# Services accept no user at all when a task or a command acts on its own.
Actor = AuthUser | AnonymousUser | None


def requester(request: Request) -> User:
    """The user of an API request (every view requires authentication)."""
    return request.user


def actor(user: Actor) -> AuthUser | None:
    """The user to record as having acted: ``None`` for a task, a command or an anonymous user."""
    return user if isinstance(user, AuthUser) and user.is_authenticated else None
