"""core's tables: the event log (``core.events``). Its run model is abstract (``core.runs``)."""

from core.events.models import Event, EventScope

__all__ = ["Event", "EventScope"]
