"""The interviews side of an erasure (``hiring.services.candidate_erase``): what interviewers
and graders wrote about the person is scrubbed of everything that names them, and their
take-home work (the uploaded file, the repository link) is deleted. Ratings, recommendations,
stages, dates and verdicts stay: they are what the analytics count, and without the person's
name and work they are about no one in particular.

Identifying adds nothing: hiring already gave the names interviewers would have written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Model, QuerySet

from core.events.redaction import json_scrub
from hiring.models import Application, Candidate
from hiring.services import Erasure, PersonTerms
from interviews.models import (
    BugFinding,
    DebuggingSession,
    Interview,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
    TakeHomeAssignment,
    TakeHomeCriterionScore,
    TakeHomeGrade,
)


def _scrub(queryset: QuerySet[Any], fields: Sequence[str], scrub: Callable[[str], str]) -> int:
    """Scrub the text ``fields`` of every row; returns how many rows changed."""
    changed: list[Model] = []
    for row in queryset.only("pk", *fields):
        dirty = False
        for name in fields:
            before = getattr(row, name)
            after = scrub(before) if isinstance(before, str) else json_scrub(before, scrub)
            if after != before:
                setattr(row, name, after)
                dirty = True
        if dirty:
            changed.append(row)
    if changed:
        queryset.model._default_manager.bulk_update(changed, list(fields))
    return len(changed)


def _takehomes_clear(assignments: QuerySet[TakeHomeAssignment]) -> int:
    """Delete the submitted files from storage and forget them and the repository links;
    returns how many submissions were cleared."""
    cleared = 0
    for assignment in assignments.exclude(submission_file="", repository_url=""):
        if assignment.submission_file:
            # At once rather than on commit: a failed erasure is retried, and the file must be
            # gone whatever happens to this transaction.
            assignment.submission_file.delete(save=False)
        assignment.submission_file = ""
        assignment.repository_url = ""
        assignment.save(update_fields=["submission_file", "repository_url"])
        cleared += 1
    return cleared


def interviews_erase(
    sender: Any,
    *,
    candidates: Sequence[Candidate],
    terms: PersonTerms,
    erasure: Erasure,
    **kwargs: Any,
) -> None:
    """``candidate_erasing`` receiver."""
    applications = list(
        Application.objects.filter(candidate__in=candidates).values_list("pk", flat=True)
    )
    if not applications:
        return
    interviews = Interview.objects.filter(application_id__in=applications)
    scorecards = Scorecard.objects.filter(interview__in=interviews)
    takehomes = TakeHomeAssignment.objects.filter(application_id__in=applications)
    sessions = DebuggingSession.objects.filter(application_id__in=applications)
    grades = TakeHomeGrade.objects.filter(assignment__in=takehomes)
    scrub = terms.scrub_all  # their own records: a name token can only mean them
    scrubbed = sum(
        _scrub(queryset, fields, scrub)
        for queryset, fields in [
            (interviews, ["cancel_reason"]),
            (scorecards, ["summary"]),
            (ScorecardRating.objects.filter(scorecard__in=scorecards), ["evidence"]),
            (ScorecardAmendment.objects.filter(scorecard__in=scorecards), ["reason", "changes"]),
            (sessions, ["notes"]),
            (BugFinding.objects.filter(session__in=sessions), ["notes"]),
            (grades, ["notes"]),
            (TakeHomeCriterionScore.objects.filter(grade__in=grades), ["comment"]),
        ]
    )
    erasure.count("interview notes and evidence scrubbed", scrubbed)
    erasure.count("take-home submissions deleted", _takehomes_clear(takehomes))
    erasure.objects += [("interview", str(pk)) for pk in interviews.values_list("pk", flat=True)]
    erasure.objects += [("scorecard", str(pk)) for pk in scorecards.values_list("pk", flat=True)]
    erasure.objects += [("takehome", str(pk)) for pk in takehomes.values_list("pk", flat=True)]
    erasure.objects += [("verdict", str(pk)) for pk in applications]
