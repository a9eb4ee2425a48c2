"""What beat starts for hiring: the e-mail sweeper, which sends again every unsent message with
attempts left whose task was lost (between a commit and the broker, or with a dead worker), and
the daily data-protection passes (docs/privacy.md)."""

from __future__ import annotations

from celery import shared_task

from core.events.acting import acting
from core.events.models import Channel
from hiring.services.messages import messages_due
from hiring.services.notices import notices_send_due
from hiring.services.retention import retention_apply
from hiring.tasks import send_message


@shared_task(name="hiring.schedules.notices_send_due", ignore_result=True)
def send_due_notices() -> dict[str, int]:
    """Queue the Art. 14 notices coming due (idempotent: a notice on its way is not queued
    again, one sent is not owed any more)."""
    with acting(channel=Channel.TASK, label="daily notice clock"):
        return notices_send_due()


@shared_task(name="hiring.schedules.retention_apply", ignore_result=True)
def apply_retention() -> dict[str, int]:
    """Erase the people retention no longer allows (idempotent: an erased person is skipped)."""
    with acting(channel=Channel.TASK, label="retention"):
        return retention_apply()


@shared_task(name="hiring.schedules.sweep_messages", ignore_result=True)
def sweep_messages() -> int:
    ids = messages_due()
    for message_id in ids:
        send_message.delay(message_id)
    return len(ids)
