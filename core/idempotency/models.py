"""The keys clients sent with their POSTs, each with the first answer once there is one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.idempotency.header import MAX_LENGTH


class IdempotencyKey(models.Model):
    """One ``Idempotency-Key`` as its account first sent it: a hash of the request it came with
    and, once the request finished below 500, the answer (status, content type, body). A row
    without ``status_code`` is a request in progress since ``claimed_at``.

    ``key`` is unique across accounts, not per account: the API answers another account's use of
    a key with a 400 (issue 15), and a unique key is what makes that check race-free. The user
    is still part of every lookup, so a stored answer only ever goes back to its own account."""

    key = models.CharField(max_length=MAX_LENGTH, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the method, the path with its query and the body."
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(
        default=timezone.now, help_text="When the request now running for this key started."
    )
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=255, blank=True)
    body = models.BinaryField(default=b"", blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # The purge's range scan (``created_at`` older than the TTL), every hour.
            models.Index(fields=["created_at"], name="idempotency_created_at"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code or 'in progress'})"

    @property
    def finished(self) -> bool:
        return self.status_code is not None
