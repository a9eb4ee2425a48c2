"""Reads for the API and the admin: their query shape lives here (one query per relation,
whatever the page size)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from core.webhooks.outbox import PING


def webhook_endpoints() -> QuerySet[WebhookEndpoint]:
    """Every endpoint (they are the organisation's, not a user's), each with ``pings``: its
    ping deliveries, newest first, to show how the last one went."""
    pings = WebhookDelivery.objects.filter(event__type=PING).select_related("event").order_by("-id")
    return WebhookEndpoint.objects.prefetch_related(
        Prefetch("deliveries", queryset=pings, to_attr="pings")
    )


def webhook_deliveries() -> QuerySet[WebhookDelivery]:
    """Deliveries with their event and every attempt, in order."""
    return WebhookDelivery.objects.select_related("event").prefetch_related(
        Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
    )


def webhook_deliveries_of(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return webhook_deliveries().filter(endpoint=endpoint)
