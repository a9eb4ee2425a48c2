"""core's tables: the event log (``core.events``), webhooks (``core.webhooks``) and the API's
idempotency keys (``core.idempotency``). Its run model is abstract (``core.runs``)."""

from core.events.models import Event, EventScope
from core.idempotency.models import IdempotencyKey
from core.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "Event",
    "EventScope",
    "IdempotencyKey",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
