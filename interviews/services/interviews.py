"""Scheduling an interview: one application, one kit (stage), assigned interviewers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from hiring.models import Application
from interviews.models import Interview, InterviewKit


def kit_mismatch_error(*, application: Application, kit: InterviewKit) -> str | None:
    """The error when ``kit`` is not for the role profile of the application's opening."""
    if kit.role_profile_id != application.opening.role_profile_id:
        return "This kit is for another role profile than the application's opening."
    return None


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
    assigned. The kit must belong to the role profile of the application's opening."""
    errors: dict[str, list[str]] = {}
    if message := kit_mismatch_error(application=application, kit=kit):
        errors["kit"] = [message]
    if scheduled_at.tzinfo is None:
        errors["scheduled_at"] = ["Give a timezone-aware time."]
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
