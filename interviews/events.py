"""The interviews app's events (``core.events``): how its objects read in them, and
``verdict.changed``, recorded when new evidence moves an application's verdict against its bars.
The last ``verdict.changed`` of an application holds the verdict it had, so no table repeats it."""

from __future__ import annotations

from typing import Any

from core.events.models import Event
from core.events.recording import changes_between, event_record
from core.events.representation import register
from hiring.models import Application
from interviews.models import Interview, Scorecard, TakeHomeAssignment
from interviews.verdict import application_verdict


def _interview(interview: Interview) -> dict[str, Any]:
    return {
        "id": interview.pk,
        "application": interview.application_id,
        "kit": interview.kit_id,
        "scheduled_at": interview.scheduled_at,
        "duration_minutes": interview.duration_minutes,
        "interviewers": sorted(interview.interviewers.values_list("pk", flat=True)),
        "cancelled_at": interview.cancelled_at,
    }


def _scorecard(scorecard: Scorecard) -> dict[str, Any]:
    # Ids and the decision only: the ratings and their evidence are read through the API, whose
    # rules keep them from interviewers who have not submitted theirs.
    return {
        "id": scorecard.pk,
        "interview": scorecard.interview_id,
        "interviewer": scorecard.interviewer_id,
        "status": scorecard.status,
        "recommendation": scorecard.recommendation,
        "submitted_at": scorecard.submitted_at,
    }


def _takehome(assignment: TakeHomeAssignment) -> dict[str, Any]:
    # No link token, file or repository: what an ATS needs to follow the assignment.
    return {
        "id": assignment.pk,
        "application": assignment.application_id,
        "template": assignment.template_id,
        "status": assignment.status,
        "due_at": assignment.due_at,
        "submitted_at": assignment.submitted_at,
    }


def register_representations() -> None:
    register("interview", _interview)
    register("scorecard", _scorecard)
    register("takehome", _takehome)


def _verdict_state(application: Application) -> dict[str, Any]:
    verdict = application_verdict(application=application)
    return {
        "application": application.pk,
        "bar_version": verdict.bar_version,
        "outcome": verdict.outcome,
        "summary": verdict.summary,
        "levels": {c.competency: c.level for c in verdict.competencies},
        "below": verdict.below,
        "missing": verdict.missing,
        "strengths_confirmed": verdict.strengths_confirmed,
    }


def verdict_record_if_changed(*, application: Application) -> Event | None:
    """Record ``verdict.changed`` when the application's verdict differs from the last one
    recorded (call inside the transaction that added the evidence)."""
    state = _verdict_state(application)
    last = (
        Event.objects.filter(object_type="verdict", object_id=str(application.pk))
        .order_by("-sequence")
        .values_list("data", flat=True)
        .first()
    )
    if last is None:
        last = {"outcome": "not_enough_evidence", "levels": {}, "below": [], "missing": []}
    watched = ("outcome", "levels", "below", "missing", "strengths_confirmed")
    changes = changes_between({k: last.get(k) for k in watched}, {k: state[k] for k in watched})
    if not changes:
        return None
    return event_record(
        type="verdict.changed",
        obj=application,
        changes=changes,
        data=state,
        opening_ids=[application.opening_id],
    )
