"""E-mail through a real Celery worker on Redis, against the test database on PostgreSQL and a
real SMTP server: the message is sent after its transaction commits, a server that says "try
again later" gets Celery retries with the service's backoff, and the message is marked sent once,
when the server finally accepts it. Needs PostgreSQL and Redis (they fail in CI without)."""

from __future__ import annotations

import pytest

from hiring.models import Message
from hiring.services.messages import message_queue
from tests.core.webhooks.test_worker import _wait, workers  # noqa: F401  # the worker fixture
from tests.hiring.factories import CandidateEmailFactory
from tests.hiring.test_messages_sending import _takehome_context
from tests.smtp import smtp_server

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    # The worker reads committed rows; serialized_rollback restores the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_worker_retries_a_server_that_says_later_and_marks_the_message_sent_once(
    workers,  # noqa: F811
):
    with smtp_server() as server:
        # given a server that answers "451 try again later" twice, and a worker with sub-second
        # backoff
        server.recorder.try_later = 2
        worker = workers(
            DJANGO_SETTINGS_MODULE="tests.hiring.mail_worker_settings",
            TEST_SMTP_PORT=str(server.port),
            MAIL_RETRY_BASE_SECONDS="0.3",
        )
        candidate = CandidateEmailFactory(email="ada@example.org").candidate

        # when a message is queued (autocommit: it goes to the worker at once)
        message = message_queue(
            candidate=candidate,
            template_key="takehome_link",
            to="ada@example.org",
            recipient_kind=Message.RecipientKind.CANDIDATE,
            context=_takehome_context(),
        )

        # then the third attempt is accepted, and only that one arrived
        _wait(
            lambda: Message.objects.get(pk=message.pk).status == Message.Status.SENT,
            60,
            "the message to be sent",
            worker.log,
        )
        assert len(server.received) == 1
    message.refresh_from_db()
    assert message.attempts == 3
    assert message.last_error == ""
    assert message.sent_at is not None
