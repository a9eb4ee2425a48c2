"""Who is acting, through which channel, in which request: set once per request (middleware),
per Celery task (``task_prerun``) and per management command (``manage.py``), read when an
event is recorded. A context variable, so threads and tasks never see each other's."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User as AuthUser

from core.events.models import Channel


@dataclass
class Acting:
    channel: str = Channel.SYSTEM
    request_id: str = ""
    label: str = ""
    # The request, when there is one: its user is read when an event is recorded, because DRF
    # authenticates tokens in the view, after middleware ran.
    request: Any = None
    user: AuthUser | None = None
    on_behalf_of: AuthUser | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def actor(self) -> AuthUser | None:
        user = getattr(self.request, "user", None) if self.request is not None else self.user
        return user if isinstance(user, AuthUser) and user.is_authenticated else None


_current: contextvars.ContextVar[Acting | None] = contextvars.ContextVar("acting", default=None)


def current() -> Acting:
    """What is acting now; outside any request, task or command: the system."""
    return _current.get() or Acting()


@contextmanager
def acting(
    *,
    channel: str,
    label: str = "",
    request: Any = None,
    user: AuthUser | None = None,
    request_id: str = "",
) -> Iterator[Acting]:
    state = Acting(
        channel=channel,
        label=label,
        request=request,
        user=user,
        request_id=request_id or uuid.uuid4().hex,
    )
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)


def act_on_behalf_of(user: AuthUser) -> None:
    """Record ``user`` as the person an integration token acts for (``On-Behalf-Of``)."""
    current().on_behalf_of = user
