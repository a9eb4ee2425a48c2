"""Endpoints, their deliveries (the outbox) and every attempt made to deliver them."""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.events.models import Event

SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix of every Standard Webhooks secret)


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and the base64 of 32 random bytes (the key the
    HMAC uses is those bytes, not the text)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    """Where events are POSTed. ``event_types`` empty means every type.

    The secrets are stored as they are because each delivery has to sign with them (a hash
    could only verify); they never leave the database except once, in the response that
    creates or rotates them. While a secret is rotated the old one keeps signing too, until
    ``previous_secret_expires_at``, so receivers can switch over without dropping a delivery."""

    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    event_types = models.JSONField(
        default=list, blank=True, help_text="Event types delivered; empty: every type."
    )
    is_active = models.BooleanField(default=True)
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The first failed attempt since the last success: a day of nothing but failures disables
    # the endpoint (``disabled_reason`` says why, for the admin and the API).
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=500, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url

    def subscribes_to(self, event_type: str) -> bool:
        return not self.event_types or "*" in self.event_types or event_type in self.event_types

    def signing_secrets(self) -> list[str]:
        """The secrets that sign now: the current one, and the previous one while it is valid."""
        valid = [self.secret]
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and expires > timezone.now():
            valid.append(self.previous_secret)
        return valid


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event for one endpoint: the outbox row, written in the event's own transaction.

    ``next_attempt_at`` is when it is due (while pending); an attempt claims it by setting
    ``leased_until`` (compare-and-set), so two workers never send the same attempt at once, and
    a worker killed mid-attempt only holds it until the lease runs out. ``enqueued_at`` is when
    a task for it was last sent, so the sweeper does not pile up messages for a delivery a
    worker is about to take."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="webhook_deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0, help_text="Attempts made, in all.")
    # Attempts since it was (re)queued: the retry schedule counts these, so a redelivery gets
    # the whole schedule again.
    round_attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhookdelivery_unique")
        ]
        indexes = [
            # The sweeper's query: pending rows by due time. Partial, so the index stays the
            # size of the backlog rather than of the whole delivery history.
            models.Index(
                fields=["next_attempt_at"],
                name="webhookdelivery_due",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["endpoint", "-id"], name="webhookdelivery_endpoint"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One POST of a delivery, whatever came of it."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    url = models.URLField(max_length=2000)
    attempted_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    succeeded = models.BooleanField()
    error = models.CharField(max_length=500, blank=True)
    response_excerpt = models.TextField(blank=True)
    retry_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next attempt is due; empty: no retry."
    )

    class Meta:
        ordering = ["delivery", "number"]
        indexes = [models.Index(fields=["delivery", "number"], name="webhookattempt_delivery")]

    def __str__(self) -> str:
        return f"attempt {self.number} of delivery {self.delivery_id}"
