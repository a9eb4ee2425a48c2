"""Managing endpoints and redelivering: the writes the API and the admin share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.events.recording import event_record
from core.events.types import ALL_TYPES, unknown_event_types
from core.requester import Actor, actor
from core.webhooks import ssrf
from core.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    new_secret,
)
from core.webhooks.outbox import PING, enqueue_on_commit


def _checked_url(url: str) -> str:
    try:
        ssrf.check_url(url)
    except ssrf.TargetRefused as exc:
        raise ValidationError({"url": [str(exc)]}) from exc
    return url


def _checked_event_types(event_types: Sequence[str]) -> list[str]:
    unknown = unknown_event_types(list(event_types))
    if unknown:
        raise ValidationError({"event_types": [f"Unknown event type: {name}." for name in unknown]})
    # "*" alone or with others is every type: stored as the empty list, one way to say it.
    if ALL_TYPES in event_types:
        return []
    return sorted(set(event_types))


def webhook_endpoint_check(*, url: str | None, event_types: Sequence[str] | None) -> None:
    """Refuse what ``webhook_endpoint_create``/``_update`` would refuse (for forms, which
    report errors before saving): a ``ValidationError`` naming ``url`` or ``event_types``."""
    errors: dict[str, list[str]] = {}
    if event_types is not None:
        try:
            _checked_event_types(event_types)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if url is not None:
        try:
            _checked_url(url)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def webhook_endpoint_create(
    *,
    url: str,
    event_types: Sequence[str] = (),
    description: str = "",
    is_active: bool = True,
    by: Actor = None,
) -> WebhookEndpoint:
    """Create an endpoint (a 400 naming ``url`` or ``event_types`` when refused, and nothing
    written) and, when active, send it a ``webhook.ping``. Its secret is on the returned
    instance, to be shown once."""
    checked_types = _checked_event_types(event_types)
    _checked_url(url)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            url=url,
            event_types=checked_types,
            description=description,
            is_active=is_active,
            created_by=actor(by),
        )
        if is_active:
            webhook_endpoint_ping(endpoint=endpoint)
    return endpoint


def webhook_endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    event_types: Sequence[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    """Change what is given. Turning a disabled endpoint back on forgets why it was disabled and
    its run of failures; deliveries it missed stay failed (redeliver them)."""
    fields: set[str] = set()
    if url is not None and url != endpoint.url:
        endpoint.url = _checked_url(url)
        fields.add("url")
    if event_types is not None:
        endpoint.event_types = _checked_event_types(event_types)
        fields.add("event_types")
    if description is not None:
        endpoint.description = description
        fields.add("description")
    if is_active is not None and is_active != endpoint.is_active:
        endpoint.is_active = is_active
        fields.add("is_active")
        if is_active:
            endpoint.disabled_at = None
            endpoint.disabled_reason = ""
            endpoint.failing_since = None
            fields |= {"disabled_at", "disabled_reason", "failing_since"}
    if fields:
        endpoint.save(update_fields=[*sorted(fields), "updated_at"])
    return endpoint


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Delete it with its deliveries and their attempts (the events themselves stay)."""
    endpoint.delete()


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret signs from now on; the current one keeps signing beside it for
    ``WEBHOOK_SECRET_ROTATION_HOURS``, so a receiver can switch at its own pace. Rotating again
    within that time drops the oldest. The new secret is on the returned instance, to be shown
    once."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = timezone.now() + timedelta(
            hours=settings.WEBHOOK_SECRET_ROTATION_HOURS
        )
        endpoint.secret = new_secret()
        endpoint.save(
            update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"]
        )
    return endpoint


def webhook_endpoint_ping(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Record a ``webhook.ping`` for this endpoint; the outbox delivers it to it alone."""
    if not endpoint.is_active:
        raise ValidationError({"is_active": ["A disabled endpoint cannot be pinged."]})
    with transaction.atomic():
        event = event_record(type=PING, obj=endpoint)
        return WebhookDelivery.objects.get(event=event, endpoint=endpoint)


def webhook_delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send it again, whatever became of it, with the whole retry schedule and the same
    ``webhook-id`` (receivers drop what they already have). Not to a disabled endpoint (a 400)."""
    if not WebhookEndpoint.objects.filter(pk=delivery.endpoint_id, is_active=True).exists():
        raise ValidationError(
            {"endpoint": ["The endpoint is disabled; enable it before redelivering."]}
        )
    now = timezone.now()
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING,
            round_attempts=0,
            next_attempt_at=now,
            enqueued_at=now,
            last_error="",
        )
        enqueue_on_commit([delivery.pk])
    delivery.refresh_from_db()
    return delivery
