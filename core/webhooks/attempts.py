"""Attempting deliveries: claim, POST, record, schedule the next attempt or give up, and keep
each endpoint's health (a day of nothing but failures disables it).

At least once: a delivery leaves the outbox only when an attempt's outcome is recorded; a
worker killed in between leaves it pending and leased, and once the lease runs out the sweeper
sends it again with the same ``webhook-id``."""

from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.webhooks import delivery as http
from core.webhooks import signing
from core.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

# 4xx answers that can heal (a timeout, a conflict, a rate limit); any other 4xx means the
# receiver refuses this request and will refuse it again.
RETRYABLE_4XX = frozenset({408, 409, 429})
CLIENT_ERRORS = range(400, 500)


def backoff_seconds(attempts: int) -> float:
    """The wait after the ``attempts``-th failed attempt of a round: ``base * 3^(n-1)``,
    capped, times a jitter of ±20% so endpoints that failed together do not retry together.
    With the defaults (30 s, cap 12 h, 10 attempts): ~30 s, 1.5 min, 4.5 min, 13.5 min, 40 min,
    2 h, 6 h, 12 h, 12 h, i.e. ten attempts over 26 to 40 hours."""
    base: float = float(settings.WEBHOOK_RETRY_BASE_SECONDS) * 3.0 ** (attempts - 1)
    return min(float(settings.WEBHOOK_RETRY_CAP_SECONDS), base) * random.uniform(0.8, 1.2)


def retry_delay(*, attempts: int, response: http.Response) -> float | None:
    """Seconds until the next attempt after a failed one, or ``None`` for no retry: a 4xx other
    than 408/409/429, or the last attempt of the round. A receiver's ``Retry-After`` is
    honoured (up to the cap) in place of the backoff."""
    code = response.status_code
    if code in CLIENT_ERRORS and code not in RETRYABLE_4XX:
        return None
    if attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        return None
    if response.retry_after is not None:
        return min(float(settings.WEBHOOK_RETRY_CAP_SECONDS), max(1.0, response.retry_after))
    return backoff_seconds(attempts)


@dataclass(frozen=True)
class Outcome:
    status: str  # the delivery's status after the attempt
    retry_in: float | None = None  # seconds until the next attempt, when one is scheduled


def _claim(delivery_id: int) -> str | None:
    """Compare-and-set: lease a due, pending, unleased delivery; the lease token, or ``None``
    when it is not due, no longer pending, or another attempt holds it."""
    now = timezone.now()
    token = uuid.uuid4().hex
    claimed = WebhookDelivery.objects.filter(
        Q(leased_until__isnull=True) | Q(leased_until__lt=now),
        pk=delivery_id,
        status=DeliveryStatus.PENDING,
        next_attempt_at__lte=now,
    ).update(
        leased_until=now + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS),
        lease_token=token,
        # The message that led here is consumed: if this worker dies, the sweeper may send
        # another as soon as the lease runs out.
        enqueued_at=None,
    )
    return token if claimed else None


def webhook_delivery_attempt(*, delivery_id: int) -> Outcome | None:
    """Make the next attempt of a delivery if it is due and nobody else is making it; ``None``
    when there was nothing to do (a duplicate message, a delivery already made). The POST
    happens outside any transaction; its outcome is recorded in one. ``Outcome.retry_in`` tells
    the caller when to come back (the sweeper does in any case)."""
    token = _claim(delivery_id)
    if token is None:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        _give_up(delivery, token, "Not sent: the endpoint is disabled.")
        return Outcome(DeliveryStatus.FAILED)

    body = signing.body_of(delivery.event)
    at = timezone.now()
    headers = signing.headers(
        secrets=endpoint.signing_secrets(), msg_id=delivery.event.uid, at=at, body=body
    )
    response = http.post(url=endpoint.url, body=body.encode(), headers=headers)
    return _record(delivery, token, at, response)


def _give_up(delivery: WebhookDelivery, token: str, reason: str) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk, lease_token=token).update(
        status=DeliveryStatus.FAILED,
        next_attempt_at=None,
        leased_until=None,
        lease_token="",
        last_error=reason,
    )


def _record(
    delivery: WebhookDelivery, token: str, at: datetime, response: http.Response
) -> Outcome:
    now = timezone.now()
    attempts = delivery.round_attempts + 1
    delay = None if response.succeeded else retry_delay(attempts=attempts, response=response)
    retry_at = now + timedelta(seconds=delay) if delay is not None else None
    if response.succeeded:
        status = DeliveryStatus.DELIVERED
    else:
        status = DeliveryStatus.PENDING if retry_at is not None else DeliveryStatus.FAILED
    error = response.error or ("" if response.succeeded else f"HTTP {response.status_code}")
    with transaction.atomic():
        # The attempt happened whatever the lease says now: it is always logged.
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts + 1,
            url=delivery.endpoint.url,
            attempted_at=at,
            duration_ms=response.duration_ms,
            status_code=response.status_code,
            succeeded=response.succeeded,
            error=error[:500],
            response_excerpt=response.excerpt,
            retry_at=retry_at,
        )
        # Only the lease holder moves the delivery on: if this attempt outlived its lease and
        # another took over, that one's outcome counts.
        WebhookDelivery.objects.filter(pk=delivery.pk, lease_token=token).update(
            status=status,
            attempts=F("attempts") + 1,
            round_attempts=attempts,
            next_attempt_at=retry_at,
            leased_until=None,
            lease_token="",
            last_status_code=response.status_code,
            last_error=error[:500],
            delivered_at=now if response.succeeded else None,
            # A retry soon is sent by the task itself (``retry_in``); a later one by the sweeper.
            enqueued_at=retry_at if delay is not None and delay <= _SOON else None,
        )
        _endpoint_health(delivery.endpoint_id, succeeded=response.succeeded, now=now)
    logger.info(
        "webhook delivery %s attempt %s to %s: %s",
        delivery.pk,
        attempts,
        delivery.endpoint.url,
        response.status_code or response.error,
    )
    return Outcome(status, delay if delay is not None and delay <= _SOON else None)


# Retries due within this many seconds are sent as a countdown message; later ones are left to
# the sweeper (Redis redelivers unacknowledged countdown messages after the visibility timeout,
# so long countdowns would be sent several times).
_SOON = 10 * 60


def _endpoint_health(endpoint_id: int, *, succeeded: bool, now: datetime) -> None:
    endpoints = WebhookEndpoint.objects.filter(pk=endpoint_id)
    if succeeded:
        endpoints.filter(failing_since__isnull=False).update(failing_since=None)
        return
    endpoints.filter(failing_since__isnull=True).update(failing_since=now)
    limit = now - timedelta(hours=settings.WEBHOOK_DISABLE_AFTER_HOURS)
    since = endpoints.values_list("failing_since", flat=True).first()
    if since is None or since > limit:
        return
    reason = (
        f"Disabled automatically on {now:%Y-%m-%d %H:%M} UTC: every delivery attempt failed "
        f"since {since:%Y-%m-%d %H:%M} UTC."
    )
    disabled = endpoints.filter(is_active=True).update(
        is_active=False, disabled_at=now, disabled_reason=reason
    )
    if disabled:
        logger.warning("webhook endpoint %s disabled: %s", endpoint_id, reason)
        # What it has not received yet is not sent; redelivery resends it once it is enabled.
        WebhookDelivery.objects.filter(
            endpoint_id=endpoint_id, status=DeliveryStatus.PENDING
        ).exclude(leased_until__gt=now).update(
            status=DeliveryStatus.FAILED,
            next_attempt_at=None,
            last_error="Not sent: the endpoint was disabled.",
        )


def webhook_deliveries_due(*, limit: int = 500) -> list[int]:
    """Pending deliveries that are due, held by no live attempt and not sent to a worker in the
    last ``WEBHOOK_REQUEUE_AFTER_SECONDS``: marked as sent now, for the sweeper to enqueue."""
    now = timezone.now()
    requeue = now - timedelta(seconds=settings.WEBHOOK_REQUEUE_AFTER_SECONDS)
    due = WebhookDelivery.objects.filter(
        Q(leased_until__isnull=True) | Q(leased_until__lt=now),
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=requeue),
        status=DeliveryStatus.PENDING,
        next_attempt_at__lte=now,
    )
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    if ids:
        due.filter(pk__in=ids).update(enqueued_at=now)
    return ids
