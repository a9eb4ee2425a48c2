"""core's tables: the event log (``core.events``) and webhooks (``core.webhooks``). Its run model
is abstract (``core.runs``)."""

from core.events.models import Event, EventScope
from core.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = ["Event", "EventScope", "WebhookAttempt", "WebhookDelivery", "WebhookEndpoint"]
