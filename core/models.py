"""core's tables: the event log (``core.events``) and the API's idempotency keys
(``core.idempotency``). Its run model is abstract (``core.runs``)."""

from core.events.models import Event, EventScope
from core.idempotency.models import IdempotencyKey

__all__ = ["Event", "EventScope", "IdempotencyKey"]
