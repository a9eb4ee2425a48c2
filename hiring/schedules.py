"""What beat starts for hiring: the e-mail sweeper, which sends again every unsent message with
attempts left whose task was lost (between a commit and the broker, or with a dead worker)."""

from __future__ import annotations

from celery import shared_task

from hiring.services.messages import messages_due
from hiring.tasks import send_message


@shared_task(name="hiring.schedules.sweep_messages", ignore_result=True)
def sweep_messages() -> int:
    ids = messages_due()
    for message_id in ids:
        send_message.delay(message_id)
    return len(ids)
