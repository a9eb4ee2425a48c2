"""The abstract run every kind of background job extends (arXiv sourcing, re-implementation
search). The row is the coordination point between the API, the admin, commands and workers:
status moves only by compare-and-set (``core.runs.lifecycle``), and a batch commits together with
the checkpoint it advances to, so a redelivered or duplicated task never writes a batch twice."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class BackgroundRun(models.Model):
    Status = RunStatus
    # Events about a run are ``<EVENT_PREFIX>.finished`` (``sourcing_run``...).
    EVENT_PREFIX = "run"
    ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)
    RESUMABLE = (RunStatus.FAILED, RunStatus.CANCELLED)

    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    checkpoint = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the worker running it."
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the worker is doing when it is not making progress (waiting to retry).",
    )

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @classmethod
    def stale_after(cls) -> timedelta:
        """How long a running run may stay silent before its worker counts as lost: another
        delivery may then take it over, and the sweeper sends it again."""
        raise NotImplementedError

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
