"""core's tables: the event log (``core.events``). Its run model is abstract (``core.runs``)."""

from core.events.models import Event, EventScope
from core.idempotency.models import IdempotencyKey as IdempotencyKey  # re-exported: a table

__all__ = ["Event", "EventScope"]
