"""The event log. An event names its object by type and id rather than by a foreign key, so the
history of a deleted or merged object stays (a cascade would take it away)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_event_uid() -> str:
    # Standard Webhooks' ``webhook-id``: unique, stable across retries, safe in a header.
    return f"evt_{secrets.token_hex(12)}"


class Channel(models.TextChoices):
    ADMIN = "admin", "Admin"
    API = "api", "API"
    WEB = "web", "Interviewer pages"
    TASK = "task", "Background task"
    COMMAND = "command", "Command"
    SYSTEM = "system", "System"


class Event(models.Model):
    """One domain event: ``type`` (``candidate.updated``...), the object it is about and its
    per-object ``sequence`` (1, 2, 3... in the order the object changed), who acted through
    which channel, the changed fields as ``{field: [before, after]}`` and the object's
    representation after the change (``data``, what webhooks carry)."""

    uid = models.CharField(max_length=40, unique=True, default=new_event_uid, editable=False)
    type = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    sequence = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person an integration token acted for (On-Behalf-Of).",
    )
    actor_label = models.CharField(
        max_length=200, blank=True, help_text="Who acted, in words (kept if the user is deleted)."
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    request_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "sequence"], name="event_unique_sequence"
            )
        ]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="event_object"),
            models.Index(fields=["type", "id"], name="event_type"),
            models.Index(fields=["created_at"], name="event_created_at"),
            models.Index(fields=["actor", "id"], name="event_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.object_type}:{self.object_id} #{self.sequence}"


class EventScope(models.Model):
    """The openings an event concerns, so a hiring manager's token reads the events of their own
    openings only (core knows openings by id alone; hiring decides who sees which)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="scopes")
    opening_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "opening_id"], name="eventscope_unique")
        ]
        indexes = [models.Index(fields=["opening_id", "event"], name="eventscope_opening")]

    def __str__(self) -> str:
        return f"{self.event_id} in opening {self.opening_id}"
