"""Scheduling an interview: one application, one kit (stage), assigned interviewers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from hiring.models import Application
from hiring.services import FINAL_STAGES
from interviews.models import Interview, InterviewKit


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


@transaction.atomic
def interview_schedule(
    *,
    application: Application,
    kit: InterviewKit,
    scheduled_at: datetime,
    interviewers: Iterable[User] = (),
    by: Any = None,
) -> Interview:
    """Create the interview; without explicit interviewers the kit's default interviewers are
    assigned. The kit must belong to the role profile of the application's opening, and the
    application must still be open."""
    errors = interview_schedule_errors(application=application, kit=kit, scheduled_at=scheduled_at)
    people = list(interviewers) or list(kit.default_interviewers.all())
    if not people:
        errors["interviewers"] = ["Assign at least one interviewer (the kit has no defaults)."]
    if errors:
        raise ValidationError(errors)
    interview = Interview.objects.create(
        application=application,
        kit=kit,
        scheduled_at=scheduled_at,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    interview.interviewers.set(people)
    return interview
