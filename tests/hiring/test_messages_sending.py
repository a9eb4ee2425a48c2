"""Sending e-mail through Django's real SMTP backend to a real server on 127.0.0.1: a message is
marked sent only once the server accepted it; a refusal or a server that never answers leaves it
failed with its attempts counted, retried up to its limit and never marked sent; a redelivered
task sends nothing twice; the sweeper sends what a lost task left behind."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hiring.models import Message
from hiring.schedules import sweep_messages
from hiring.services.messages import (
    _claim,
    message_queue,
    message_retry,
    messages_due,
)
from hiring.tasks import send_message
from tests.hiring.factories import CandidateEmailFactory, CandidateFactory
from tests.smtp import parts, silent_server, use_smtp

pytestmark = pytest.mark.django_db

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"


@pytest.fixture(autouse=True)
def _retries_run_like_a_worker(monkeypatch):
    """``apply()`` runs Celery's retries at once, one after the other, as a worker would run them
    after their countdowns; a retry must not surface as an exception to the test."""
    monkeypatch.setitem(send_message.app.conf, "task_eager_propagates", False)


def _takehome_context() -> dict[str, Any]:
    when = timezone.now() + timedelta(days=3)
    return {
        "candidate_name": "Ada <Lovelace>",
        "controller_name": "Example AI",
        "opening_title": "ML Engineer",
        "takehome_title": "Ranking take-home",
        "time_budget_minutes": 240,
        "link": "http://127.0.0.1:8000/take-home/tok/",
        "due_at": when,
        "link_expires_at": when + timedelta(days=2),
    }


def _queue(candidate: Any = None, **kwargs: Any) -> Message:
    candidate = candidate or CandidateEmailFactory(email="ada@example.org").candidate
    return message_queue(
        candidate=candidate,
        template_key="takehome_link",
        to=kwargs.pop("to", "ada@example.org"),
        recipient_kind=Message.RecipientKind.CANDIDATE,
        context=_takehome_context(),
        attachments=kwargs.pop("attachments", ()),
        concerns="takehome:7",
        **kwargs,
    )


def test_a_queued_message_is_sent_on_commit_with_text_html_and_attachment(
    smtp, django_capture_on_commit_callbacks
):
    # given / when
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(
            attachments=[{"filename": "x.ics", "content_type": "text/calendar", "content": ICS}]
        )
        assert smtp.received == []  # nothing leaves before the commit
    # then
    [received] = smtp.received
    assert smtp.recorder.recipients == [["ada@example.org"]]
    assert received["Subject"] == "Your take-home for ML Engineer: Ranking take-home"
    assert received["Message-ID"] == f"<hirebar-message-{message.pk}@localhost>"
    body = parts(received)
    assert "Ada <Lovelace>" in body["text"]  # plain text is not HTML-escaped
    assert "Ada &lt;Lovelace&gt;" in body["html"]  # the HTML part is
    assert "http://127.0.0.1:8000/take-home/tok/" in body["text"]
    assert "BEGIN:VCALENDAR" in body["attachments"]["x.ics"]
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.last_error == ""


def test_a_refusing_server_fails_the_message_retries_it_and_a_later_retry_sends_it_once(
    smtp, settings, django_capture_on_commit_callbacks
):
    # given: a server that refuses everything, and three attempts per message
    settings.MAIL_MAX_ATTEMPTS = 3
    smtp.recorder.refuse = "550 5.7.1 Not accepting mail today"
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue()
    # when: the task runs; Celery's eager retries run every attempt at once
    send_message.apply(args=(message.pk,))
    # then
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 3
    assert "550" in message.last_error
    assert "Not accepting mail today" in message.last_error
    assert message.sent_at is None
    assert smtp.received == []
    assert messages_due(now=timezone.now() + timedelta(days=1)) == []  # out of attempts
    assert send_message.apply(args=(message.pk,)).result == "nothing to do"

    # when: the server accepts again and a recruiter retries
    smtp.recorder.refuse = None
    with django_capture_on_commit_callbacks(execute=True):
        assert message_retry(message=message) is True
    # then: sent once, attempts kept counting
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 4
    assert len(smtp.received) == 1
    assert message_retry(message=message) is False  # a sent message is not sent again
    send_message.apply(args=(message.pk,))
    assert len(smtp.received) == 1


def test_a_server_that_never_answers_times_out_and_the_message_is_never_marked_sent(
    settings, django_capture_on_commit_callbacks
):
    settings.MAIL_MAX_ATTEMPTS = 2
    with silent_server() as port:
        use_smtp(settings, port, timeout=0.3)
        with django_capture_on_commit_callbacks(execute=False):
            message = _queue()
        send_message.apply(args=(message.pk,))
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 2
    assert "timed out" in message.last_error
    assert message.sent_at is None
    assert message.leased_until is None


def test_a_refused_recipient_is_not_copied_into_the_error(smtp, django_capture_on_commit_callbacks):
    # the address lives in to_address only, the column an erasure blanks
    smtp.recorder.refuse_recipients = "550 5.1.1 <ada@example.org>: no such user"
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert "SMTPRecipientsRefused" in message.last_error
    assert "no such user" in message.last_error
    assert "ada@example.org" not in message.last_error


def test_one_failed_attempt_schedules_the_next_with_backoff(
    smtp, settings, django_capture_on_commit_callbacks
):
    # given: the in-process runner makes one attempt (it is the task's last)
    settings.MAIL_RETRY_BASE_SECONDS = 60
    smtp.recorder.refuse = "451 4.3.0 Try again later"
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 1
    assert before + timedelta(seconds=47) < message.next_attempt_at
    assert message.next_attempt_at < timezone.now() + timedelta(seconds=73)
    # the sweeper waits for the backoff (and the grace a live retry gets) to pass
    assert messages_due() == []
    later = message.next_attempt_at + timedelta(seconds=settings.MAIL_REQUEUE_AFTER_SECONDS)
    assert messages_due(now=later) == [message.pk]


def test_a_redelivered_task_sends_nothing_twice(smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()
    assert len(smtp.received) == 1
    # the broker hands the same task out again
    assert send_message.apply(args=(message.pk,)).result == "nothing to do"
    assert len(smtp.received) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_message_another_worker_is_sending_is_left_to_it(
    smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue()
    # given: a live attempt holds the message (claimed, not finished)
    assert _claim(message.pk) is not None
    # when: a duplicate delivery and the sweeper come along
    assert send_message.apply(args=(message.pk,)).result == "nothing to do"
    assert messages_due(now=timezone.now() + timedelta(minutes=1)) == []
    # then
    assert smtp.received == []


def test_the_sweeper_sends_a_message_whose_task_was_lost(
    smtp, settings, django_capture_on_commit_callbacks
):
    # given: queued, but the task never reached a worker
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue()
    assert messages_due() == []  # a fresh message is left to its own task
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=settings.MAIL_REQUEUE_AFTER_SECONDS + 1)
    )
    # when
    assert sweep_messages() == 1
    # then
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert len(smtp.received) == 1
    assert sweep_messages() == 0


def test_a_candidate_without_an_address_is_refused_with_a_clear_error():
    candidate = CandidateFactory()
    with pytest.raises(ValidationError) as refused:
        _queue(candidate, to=None)
    assert refused.value.message_dict == {
        "to": ["This candidate has no e-mail address; add one before sending e-mail."]
    }
    assert not Message.objects.exists()


def test_a_candidate_message_goes_to_the_primary_address_by_default(
    smtp, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory()
    CandidateEmailFactory(candidate=candidate, email="old@example.org", is_primary=False)
    CandidateEmailFactory(candidate=candidate, email="primary@example.org", is_primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        message = message_queue(
            candidate=candidate, template_key="takehome_link", context=_takehome_context()
        )
    assert message.to_address == "primary@example.org"
    assert smtp.recorder.recipients == [["primary@example.org"]]


def test_a_context_missing_a_variable_is_a_programming_error():
    candidate = CandidateFactory()
    with pytest.raises(ValueError, match="needs link"):
        message_queue(
            candidate=candidate,
            template_key="takehome_link",
            to="a@example.org",
            recipient_kind=Message.RecipientKind.CANDIDATE,
            context={k: v for k, v in _takehome_context().items() if k != "link"},
        )


def test_the_privacy_notice_renders_the_sources_and_rights(
    smtp, django_capture_on_commit_callbacks
):
    candidate = CandidateEmailFactory(email="ashish@example.org").candidate
    with django_capture_on_commit_callbacks(execute=True):
        message_queue(
            candidate=candidate,
            template_key="privacy_notice",
            to="ashish@example.org",
            recipient_kind=Message.RecipientKind.CANDIDATE,
            context={
                "candidate_name": "Ashish Vaswani",
                "controller_name": "Example AI Ltd",
                "controller_contact": "privacy@example.org",
                "sources": [
                    {
                        "kind": "arXiv paper",
                        "title": "Attention Is All You Need",
                        "url": "https://arxiv.org/abs/1706.03762",
                    }
                ],
                "held": ["your name", "your e-mail address"],
                "objection_url": "https://hirebar.example.org/object/abc/",
                "retention": "12 months after we last contact you",
            },
        )
    body = parts(smtp.received[0])
    for text in (body["text"], body["html"]):
        assert "Attention Is All You Need" in text
        assert "https://arxiv.org/abs/1706.03762" in text
        assert "https://hirebar.example.org/object/abc/" in text
        assert "Articles 15 to 21" in text
        assert "erasure" in text
        assert "12 months after we last contact you" in text
        assert "privacy@example.org" in text
