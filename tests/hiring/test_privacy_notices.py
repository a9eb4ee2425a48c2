"""The Art. 14 notice through a real SMTP server on 127.0.0.1: sent with the first contact,
counted as sent only when the server took it, refused or timed out left pending (and retried),
sent by the daily task when due, never to someone who objected, with the person's sources."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from hiring.models import Candidate, Message, Stage
from hiring.schedules import send_due_notices
from hiring.services import (
    CandidateInput,
    application_transition,
    candidate_create,
    candidate_object,
    notice_send,
)
from hiring.services.notices import candidate_sources
from hiring.tasks import send_message
from tests.hiring.factories import ApplicationFactory
from tests.smtp import SmtpServer, parts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _retries_run_like_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(send_message.app.conf, "task_eager_propagates", False)


def sourced(name: str = "Zofia Nowak", email: str | None = "zofia@example.org") -> Candidate:
    return candidate_create(
        data=CandidateInput(
            {"full_name": name, "source": "arxiv", "notice_state": "pending"},
            [email] if email else [],
        )
    )


def test_the_notice_goes_with_the_first_contact(
    smtp: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    person = sourced()
    application = ApplicationFactory(candidate=person)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, to_stage=Stage.CONTACTED)
    (received,) = smtp.received
    assert received["To"] == "zofia@example.org"
    text = parts(received)["text"]
    assert "Article 14" in text
    assert "/privacy/object/" in text  # how to object
    person.refresh_from_db()
    assert person.notice_sent_at is not None
    assert person.notice_state == Candidate.NoticeState.SENT
    # a second contact (another opening) sends nothing more
    other = ApplicationFactory(candidate=person)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=other, to_stage=Stage.CONTACTED)
    assert len(smtp.received) == 1


def test_the_notice_names_where_the_person_was_found(
    smtp: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    person = sourced()

    def found(sender: Any, candidate: Candidate, **kwargs: Any) -> list[dict[str, str]]:
        return [
            {
                "kind": "arXiv paper",
                "title": "Sparse adapters",
                "url": "https://arxiv.org/abs/2401.04567",
            }
        ]

    candidate_sources.connect(found, dispatch_uid="test-found")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notice_send(candidate=person)
    finally:
        candidate_sources.disconnect(dispatch_uid="test-found")
    content = parts(smtp.received[0])
    assert "https://arxiv.org/abs/2401.04567" in content["text"]
    assert "Sparse adapters" in content["html"]


def test_a_refusing_server_leaves_the_notice_owed_and_retries_it(
    smtp: SmtpServer, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MAIL_MAX_ATTEMPTS = 2
    smtp.recorder.refuse = "550 5.7.1 Not today"
    person = sourced()
    Candidate.objects.filter(pk=person.pk).update(
        notice_due_at=timezone.now() - dt.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=False):
        message = notice_send(candidate=person)
    send_message.apply(args=(message.pk,))  # a worker's attempt and its retries
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 2  # retried
    person.refresh_from_db()
    assert person.notice_sent_at is None  # never marked sent
    assert person.notice_state == Candidate.NoticeState.PENDING
    assert Candidate.objects.filter(pk=person.pk, notice_due_at__lt=timezone.now()).exists()


def test_the_daily_task_sends_what_is_due_and_counts_who_has_no_address(
    smtp: SmtpServer, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.HIREBAR_NOTICE_SEND_AHEAD_DAYS = 7
    now = timezone.now()
    due = sourced("Due Soon", "due@example.org")
    Candidate.objects.filter(pk=due.pk).update(notice_due_at=now + dt.timedelta(days=3))
    overdue = sourced("Over Due", "over@example.org")
    Candidate.objects.filter(pk=overdue.pk).update(notice_due_at=now - dt.timedelta(days=3))
    sourced("Not Yet", "later@example.org")  # due in a month
    silent = sourced("No Address", None)
    Candidate.objects.filter(pk=silent.pk).update(notice_due_at=now - dt.timedelta(days=1))
    objector = sourced("Said No", "no@example.org")
    candidate_object(candidate=objector, reason="stop")
    Candidate.objects.filter(pk=objector.pk).update(notice_due_at=now - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        counts = send_due_notices()
    assert counts == {"queued": 2, "no_address": 1, "on_its_way": 0}
    assert sorted(m["To"] for m in smtp.received) == ["due@example.org", "over@example.org"]
    # idempotent: the next day nothing is sent twice
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_notices() == {"queued": 0, "no_address": 1, "on_its_way": 0}
    assert len(smtp.received) == 2


def test_no_notice_to_someone_not_sourced_or_who_objected() -> None:
    applicant = candidate_create(data=CandidateInput({"full_name": "Applied"}, ["a@example.org"]))
    with pytest.raises(Exception, match="not sourced"):
        notice_send(candidate=applicant)
    person = sourced()
    candidate_object(candidate=person)
    with pytest.raises(Exception, match="objected"):
        notice_send(candidate=person)
