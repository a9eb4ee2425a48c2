"""Pair-debugging sessions: start one on a task, record hints given and bugs found, finish."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hiring.models import Application
from interviews.events import verdict_record_if_changed
from interviews.models import BugFinding, DebuggingSession, DebuggingTask, Interview


@transaction.atomic
def debugging_session_start(
    *,
    application: Application,
    task: DebuggingTask,
    interviewer: Any,
    interview: Interview | None = None,
    now: datetime | None = None,
) -> DebuggingSession:
    """Open a session with one (not yet found) finding per seeded bug of the task."""
    if interview is not None and interview.application_id != application.pk:
        raise ValidationError({"interview": ["This interview belongs to another application."]})
    if not task.is_active:
        raise ValidationError({"task": ["This task is retired."]})
    session = DebuggingSession.objects.create(
        application=application,
        task=task,
        interview=interview,
        interviewer=interviewer,
        started_at=now or timezone.now(),
    )
    BugFinding.objects.bulk_create(BugFinding(session=session, bug=bug) for bug in task.bugs.all())
    return session


def _open_finding(session: DebuggingSession, bug_id: int) -> BugFinding:
    if session.is_finished:
        raise ValidationError({"non_field_errors": ["This session is finished."]})
    finding = (
        BugFinding.objects.select_for_update()
        .select_related("bug")
        .filter(session=session, bug_id=bug_id)
        .first()
    )
    if finding is None:
        raise ValidationError({"bug": ["This bug is not part of the session's task."]})
    return finding


@transaction.atomic
def debugging_give_hint(*, session: DebuggingSession, bug_id: int) -> str:
    """Give the next hint for a bug not found yet; returns its text. Hints run out."""
    finding = _open_finding(session, bug_id)
    if finding.found_at is not None:
        raise ValidationError({"bug": ["This bug is already found."]})
    hints = finding.bug.hints or []
    if finding.hints_used >= len(hints):
        raise ValidationError({"bug": ["No hints left for this bug."]})
    BugFinding.objects.filter(pk=finding.pk).update(hints_used=F("hints_used") + 1)
    return str(hints[finding.hints_used])


@transaction.atomic
def debugging_mark_found(
    *, session: DebuggingSession, bug_id: int, notes: str = "", at: datetime | None = None
) -> BugFinding:
    """Record that the candidate found (and explained) the bug; the first record wins."""
    finding = _open_finding(session, bug_id)
    if finding.found_at is None:
        finding.found_at = at or timezone.now()
        finding.notes = notes.strip()
        finding.save(update_fields=["found_at", "notes"])
    return finding


@transaction.atomic
def debugging_session_finish(
    *, session: DebuggingSession, notes: str = "", at: datetime | None = None
) -> DebuggingSession:
    ended = at or timezone.now()
    finished = DebuggingSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
        ended_at=ended, notes=notes.strip() or session.notes
    )
    session.refresh_from_db(fields=["ended_at", "notes"])
    if finished:
        verdict_record_if_changed(application=session.application)
    return session
