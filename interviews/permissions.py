"""Access checks for every interviews page and endpoint, in one place. Each ``access_*_by_id``
goes through a selector scoped to the requester, so a record the requester may not see is a 404,
exactly like one that does not exist (an interviewer cannot probe which scorecards exist)."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from core.requester import User
from hiring.models import Application
from hiring.permissions import access_application_by_id
from interviews import selectors
from interviews.models import (
    DebuggingSession,
    Interview,
    InterviewKit,
    Scorecard,
    TakeHomeAssignment,
)

M = TypeVar("M", bound=Model)


def _get(queryset: QuerySet[M], pk: object) -> M:
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def access_kit_by_id(user: User, kit_id: object) -> InterviewKit:
    return _get(selectors.kits_visible_to(user=user), kit_id)


def access_interview_by_id(user: User, interview_id: object) -> Interview:
    return _get(selectors.interviews_visible_to(user=user), interview_id)


def access_assigned_interview_by_id(user: User, interview_id: object) -> Interview:
    """An interview the user takes part in: the only ones they may write a scorecard for."""
    return _get(selectors.interviews_assigned_to(user=user), interview_id)


def access_scorecard_by_id(user: User, scorecard_id: object) -> Scorecard:
    return _get(selectors.scorecards_visible_to(user=user), scorecard_id)


def access_own_scorecard_by_id(user: User, scorecard_id: object) -> Scorecard:
    return _get(
        selectors.scorecards_visible_to(user=user).filter(interviewer_id=user.pk), scorecard_id
    )


def access_takehome_assignment_by_id(user: User, assignment_id: object) -> TakeHomeAssignment:
    return _get(selectors.takehome_assignments_visible_to(user=user), assignment_id)


def access_takehome_to_grade_by_id(user: User, assignment_id: object) -> TakeHomeAssignment:
    return _get(selectors.takehomes_to_grade(user=user), assignment_id)


def access_debugging_session_by_id(user: User, session_id: object) -> DebuggingSession:
    return _get(selectors.debugging_sessions_visible_to(user=user), session_id)


def access_hiring_application_by_id(user: User, application_id: object) -> Application:
    """An application in the hiring core's own scope: recruiters and the opening's hiring
    manager. Interviewers and graders never reach an application this way."""
    try:
        return access_application_by_id(user, application_id)  # type: ignore[arg-type]
    except (ValueError, TypeError) as exc:
        raise Http404 from exc


def access_verdict_by_application_id(user: User, application_id: object) -> Application:
    """The verdict aggregates every scorecard, so it is for those who see all of them."""
    return access_hiring_application_by_id(user, application_id)


def can_read_verdict(user: User, application_id: int) -> bool:
    return selectors.sees_all_scorecards_of(user=user, application_id=application_id)
