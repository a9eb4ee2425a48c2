"""The interviews section of a person's access export (``candidate_exporting``): their
interviews, what the scorecards say about them (without who wrote them: interviewers are named
to the person only by the recruiter's choice), their take-homes with the grades, their
pair-debugging sessions, and the verdict against the bars per application."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from hiring.models import Application, Candidate
from interviews.models import (
    DebuggingSession,
    Interview,
    Scorecard,
    ScorecardRating,
    TakeHomeAssignment,
    TakeHomeGrade,
)
from interviews.verdict import application_verdict


def _interview_status(interview: Interview) -> str:
    if interview.cancelled_at is not None:
        return "cancelled"
    return "held" if interview.scheduled_at <= timezone.now() else "scheduled"


def _interviews(applications: list[Application]) -> list[dict[str, Any]]:
    interviews = (
        Interview.objects.filter(application__in=applications)
        .select_related("kit")
        .prefetch_related(
            Prefetch(
                "scorecards",
                Scorecard.objects.prefetch_related(
                    Prefetch("ratings", ScorecardRating.objects.select_related("competency"))
                ),
            )
        )
    )
    return [
        {
            "id": interview.pk,
            "application": interview.application_id,
            "kit": interview.kit.title,
            "stage": interview.kit.get_stage_display(),
            "scheduled_at": interview.scheduled_at,
            "duration_minutes": interview.duration_minutes,
            "status": _interview_status(interview),
            "cancel_reason": interview.cancel_reason,
            "scorecards": [
                {
                    "status": scorecard.status,
                    "recommendation": scorecard.recommendation,
                    "summary": scorecard.summary,
                    "submitted_at": scorecard.submitted_at,
                    "ratings": [
                        {
                            "competency": rating.competency.name,
                            "rating": rating.rating,
                            "evidence": rating.evidence,
                        }
                        for rating in scorecard.ratings.all()
                    ],
                }
                for scorecard in interview.scorecards.all()
            ],
        }
        for interview in interviews
    ]


def _takehomes(applications: list[Application]) -> list[dict[str, Any]]:
    takehomes = (
        TakeHomeAssignment.objects.filter(application__in=applications)
        .select_related("template")
        .prefetch_related(
            Prefetch(
                "grades",
                TakeHomeGrade.objects.prefetch_related("scores__criterion"),
            )
        )
    )
    return [
        {
            "id": takehome.pk,
            "application": takehome.application_id,
            "template": takehome.template.title,
            "status": takehome.status,
            "sent_at": takehome.sent_at,
            "due_at": takehome.due_at,
            "submitted_at": takehome.submitted_at,
            "submission_file": takehome.submission_file.name or "",
            "repository_url": takehome.repository_url,
            "grades": [
                {
                    "status": grade.status,
                    "notes": grade.notes,
                    "submitted_at": grade.submitted_at,
                    "scores": [
                        {
                            "criterion": score.criterion.title,
                            "score": score.score,
                            "comment": score.comment,
                        }
                        for score in grade.scores.all()
                    ],
                }
                for grade in takehome.grades.all()
            ],
        }
        for takehome in takehomes
    ]


def _debugging(applications: list[Application]) -> list[dict[str, Any]]:
    sessions = (
        DebuggingSession.objects.filter(application__in=applications)
        .select_related("task")
        .prefetch_related("findings__bug")
    )
    return [
        {
            "id": session.pk,
            "application": session.application_id,
            "task": session.task.title,
            "started_at": session.started_at,
            "ended_at": session.ended_at,
            "notes": session.notes,
            "findings": [
                {
                    "bug": finding.bug.title,
                    "found_at": finding.found_at,
                    "hints_used": finding.hints_used,
                    "notes": finding.notes,
                }
                for finding in session.findings.all()
            ],
        }
        for session in sessions
    ]


def _verdicts(applications: list[Application]) -> list[dict[str, Any]]:
    verdicts = []
    for application in applications:
        verdict = application_verdict(application=application)
        verdicts.append(
            {
                "application": application.pk,
                "outcome": verdict.outcome,
                "summary": verdict.summary,
                "levels": {c.name: c.level for c in verdict.competencies},
            }
        )
    return verdicts


def interviews_export(
    sender: Any, *, candidate: Candidate, objects: list[tuple[str, str]], **kwargs: Any
) -> dict[str, Any]:
    """``candidate_exporting`` receiver; adds the events of these records to the audit trail."""
    applications = list(
        Application.objects.filter(candidate=candidate).select_related("opening").order_by("pk")
    )
    section = {
        "interviews": _interviews(applications),
        "take_homes": _takehomes(applications),
        "pair_debugging": _debugging(applications),
        "verdicts": _verdicts(applications),
    }
    scorecards = Scorecard.objects.filter(interview__application__in=applications)
    objects += [("interview", str(i["id"])) for i in section["interviews"]]
    objects += [("scorecard", str(pk)) for pk in scorecards.values_list("pk", flat=True)]
    objects += [("takehome", str(t["id"])) for t in section["take_homes"]]
    objects += [("verdict", str(a.pk)) for a in applications]
    return {"interviews": section}
