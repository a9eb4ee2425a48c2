"""Who performs a write (``core.requester``), under the names the services modules use."""

from __future__ import annotations

from core.requester import Actor as User
from core.requester import actor as _actor

__all__ = ["User", "_actor"]
