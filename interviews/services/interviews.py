"""Scheduling an interview: one application, one kit (stage), assigned interviewers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.events.recording import event_record
from hiring.models import Application
from hiring.services import FINAL_STAGES
from interviews.models import Interview, InterviewKit
from interviews.services.invitations import interview_invitations_queue

DEFAULT_DURATION = 60
MIN_DURATION, MAX_DURATION = 5, 480


def kit_mismatch_error(*, application: Application, kit: InterviewKit) -> str | None:
    """The error when ``kit`` is not for the role profile of the application's opening."""
    if kit.role_profile_id != application.opening.role_profile_id:
        return "This kit is for another role profile than the application's opening."
    return None


def closed_application_error(*, application: Application) -> str | None:
    """The error when ``application`` is closed (hired, rejected or withdrawn): nothing more is
    scheduled or sent for it; reopening means a new application."""
    if application.stage in FINAL_STAGES:
        return (
            f"This application is closed ({application.get_stage_display().lower()}); "
            "nothing more can be scheduled or sent for it."
        )
    return None


def interview_schedule_errors(
    *, application: Application, kit: InterviewKit, scheduled_at: datetime | None
) -> dict[str, list[str]]:
    """Field errors for scheduling ``kit`` with ``application`` at ``scheduled_at``; shared by
    ``interview_schedule`` and the admin form, which also edits existing interviews."""
    errors: dict[str, list[str]] = {}
    if message := closed_application_error(application=application):
        errors["application"] = [message]
    if message := kit_mismatch_error(application=application, kit=kit):
        errors["kit"] = [message]
    if scheduled_at is not None and scheduled_at.tzinfo is None:
        errors["scheduled_at"] = ["Give a timezone-aware time."]
    return errors


def no_interviewers_error(*, kit: InterviewKit, interviewers: Iterable[User]) -> str | None:
    """The error when nobody would take the interview: none named, and the kit has no default
    interviewers to fall back on."""
    if not list(interviewers) and not kit.default_interviewers.exists():
        return "Assign at least one interviewer (the kit has no defaults)."
    return None


def _duration_errors(duration_minutes: int) -> dict[str, list[str]]:
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        return {"duration_minutes": [f"From {MIN_DURATION} to {MAX_DURATION} minutes."]}
    return {}


def _record(interview: Interview, *, type: str, changes: dict[str, list[Any]]) -> None:
    event_record(
        type=type,
        obj=interview,
        changes=changes,
        opening_ids=[interview.application.opening_id],
    )


@transaction.atomic
def interview_schedule(
    *,
    application: Application,
    kit: InterviewKit,
    scheduled_at: datetime,
    interviewers: Iterable[User] = (),
    duration_minutes: int = DEFAULT_DURATION,
    by: Any = None,
) -> Interview:
    """Create the interview; without explicit interviewers the kit's default interviewers are
    assigned. The kit must belong to the role profile of the application's opening, and the
    application must still be open. Records ``interview.scheduled`` and queues the invitations
    (``interviews.services.invitations``), sent once the transaction commits."""
    errors = interview_schedule_errors(application=application, kit=kit, scheduled_at=scheduled_at)
    errors.update(_duration_errors(duration_minutes))
    people = list(interviewers) or list(kit.default_interviewers.all())
    if message := no_interviewers_error(kit=kit, interviewers=people):
        errors["interviewers"] = [message]
    if errors:
        raise ValidationError(errors)
    interview = Interview.objects.create(
        application=application,
        kit=kit,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    interview.interviewers.set(people)
    _record(
        interview,
        type="interview.scheduled",
        changes={
            "scheduled_at": [None, scheduled_at.isoformat()],
            "duration_minutes": [None, duration_minutes],
            "interviewers": [None, sorted(p.pk for p in people)],
        },
    )
    interview_invitations_queue(interview=interview, change="scheduled", interviewers=people, by=by)
    return interview


def _locked_open(interview: Interview) -> Interview:
    locked = (
        Interview.objects.select_for_update().select_related("application").get(pk=interview.pk)
    )
    if locked.cancelled_at is not None:
        raise ValidationError({"non_field_errors": ["This interview is cancelled."]})
    return locked


@transaction.atomic
def interview_cancel(*, interview: Interview, reason: str = "", by: Any = None) -> Interview:
    """Cancel a scheduled interview (kept, marked cancelled, with the reason). Cancelling one
    already cancelled is refused; a submitted scorecard keeps its evidence. Records
    ``interview.cancelled`` and tells the candidate and the interviewers."""
    locked = _locked_open(interview)
    locked.cancelled_at = timezone.now()
    locked.cancel_reason = reason.strip()
    locked.save(update_fields=["cancelled_at", "cancel_reason"])
    _record(
        locked,
        type="interview.cancelled",
        changes={"cancelled_at": [None, locked.cancelled_at.isoformat()], "reason": ["", reason]},
    )
    interview_invitations_queue(
        interview=locked, change="cancelled", interviewers=locked.interviewers.all(), by=by
    )
    return locked


@transaction.atomic
def interview_reschedule(
    *,
    interview: Interview,
    scheduled_at: datetime,
    duration_minutes: int | None = None,
    by: Any = None,
) -> Interview:
    """Move an interview that is not cancelled, on an application still open. Records
    ``interview.rescheduled`` with the times before and after, and sends everyone the new time
    (the calendar entry's sequence goes up by one)."""
    locked = _locked_open(interview)
    errors: dict[str, list[str]] = {}
    if message := closed_application_error(application=locked.application):
        errors["application"] = [message]
    if scheduled_at.tzinfo is None:
        errors["scheduled_at"] = ["Give a timezone-aware time."]
    duration = locked.duration_minutes if duration_minutes is None else duration_minutes
    errors.update(_duration_errors(duration))
    if errors:
        raise ValidationError(errors)
    changes: dict[str, list[Any]] = {
        "scheduled_at": [locked.scheduled_at.isoformat(), scheduled_at.isoformat()],
        "duration_minutes": [locked.duration_minutes, duration],
    }
    changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
    if not changes:
        return locked
    previous_starts_at = locked.scheduled_at
    locked.scheduled_at = scheduled_at
    locked.duration_minutes = duration
    locked.save(update_fields=["scheduled_at", "duration_minutes"])
    _record(locked, type="interview.rescheduled", changes=changes)
    interview_invitations_queue(
        interview=locked,
        change="rescheduled",
        interviewers=locked.interviewers.all(),
        previous_starts_at=previous_starts_at,
        by=by,
    )
    return locked
