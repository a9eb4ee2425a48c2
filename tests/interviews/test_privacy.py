"""GDPR on the interviews side: erasing a person scrubs what interviewers and graders wrote about
them and deletes their take-home work, keeping ratings, recommendations and verdicts; another
candidate's records are untouched; the access export has every interview record."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.events.models import Event
from hiring.services import candidate_erase, candidate_export
from interviews.models import (
    BugFinding,
    DebuggingSession,
    DebuggingTask,
    Interview,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
    TakeHomeAssignment,
    TakeHomeCriterionScore,
    TakeHomeGrade,
)
from interviews.services.debugging import (
    debugging_mark_found,
    debugging_session_finish,
    debugging_session_start,
)
from interviews.services.interviews import interview_cancel, interview_schedule
from interviews.services.scorecards import (
    RatingInput,
    scorecard_amend,
    scorecard_save_draft,
    scorecard_submit,
)
from interviews.services.takehomes import (
    CriterionScoreInput,
    takehome_assign,
    takehome_grade_save,
    takehome_submit,
)
from tests.interviews.factories import application_for, interviewer, seeded_kit, seeded_template

pytestmark = pytest.mark.django_db


def _history(full_name: str, *, media: Path) -> dict[str, Any]:
    """An application with a cancelled and a held interview, a submitted and amended scorecard,
    a graded take-home with an uploaded file, and a pair-debugging session; every free text
    names the candidate ("Ada Lovelace" in full, or just "Ada")."""
    first = full_name.split(maxsplit=1)[0]
    application = application_for("ml-engineer", full_name=full_name)
    person = interviewer()
    kit = seeded_kit("ml-engineer", "screen")
    cancelled = interview_schedule(
        application=application, kit=kit, scheduled_at=timezone.now() + timedelta(days=2),
        interviewers=[person],
    )  # fmt: skip
    interview_cancel(interview=cancelled, reason=f"{full_name} asked to move it")
    interview = interview_schedule(
        application=application, kit=kit, scheduled_at=timezone.now() - timedelta(hours=2),
        interviewers=[person],
    )  # fmt: skip
    slugs = list(
        kit.questions.values_list("competency__slug", flat=True).distinct().order_by("competency")
    )
    card = scorecard_save_draft(
        interview=interview,
        by=person,
        ratings=[RatingInput(slug, 3, f"{first} explained the trade-off well") for slug in slugs],
        recommendation="yes",
        summary=f"{full_name} is strong; {first} would fit the team.",
    )
    card = scorecard_submit(scorecard=card, by=person)
    scorecard_amend(
        scorecard=card, by=person, reason=f"Misread {first}'s answer",
        ratings=[RatingInput(slugs[0], 4, f"{first} also covered the edge case")],
    )  # fmt: skip
    grader = interviewer()
    created = takehome_assign(
        application=application, template=seeded_template("ml-engineer"),
        due_at=timezone.now() + timedelta(days=5), graders=[grader],
    )  # fmt: skip
    takehome = takehome_submit(
        assignment=created.assignment,
        upload=SimpleUploadedFile(f"{first.lower()}_solution.ipynb", b"{}"),
        repository_url=f"https://github.com/{first.lower()}/takehome",
    )
    criteria = list(takehome.template.criteria.all())
    takehome_grade_save(
        assignment=takehome, grader=grader, submit=True, notes=f"{full_name}'s notebook is clean",
        scores=[CriterionScoreInput(c.pk, 3, f"{first} tested this") for c in criteria],
    )  # fmt: skip
    task = DebuggingTask.objects.get(slug="feature-selection-leak")
    session = debugging_session_start(application=application, task=task, interviewer=person)
    debugging_mark_found(
        session=session, bug_id=task.bugs.get().pk, notes=f"{first} spotted it at once"
    )
    debugging_session_finish(session=session, notes=f"{full_name} talked through everything")
    takehome.refresh_from_db()
    return {
        "application": application,
        "interviews": [cancelled, interview],
        "scorecard": card,
        "takehome": takehome,
        "file": media / takehome.submission_file.name,
        "session": session,
    }


def _texts(application_id: int) -> list[str]:
    """Every free text the interviews app holds about one application."""
    on = {"application_id": application_id}
    scorecards = Scorecard.objects.filter(interview__application_id=application_id)
    takehomes = TakeHomeAssignment.objects.filter(**on)
    return [
        *Interview.objects.filter(**on).values_list("cancel_reason", flat=True),
        *scorecards.values_list("summary", flat=True),
        *ScorecardRating.objects.filter(scorecard__in=scorecards).values_list(
            "evidence", flat=True
        ),
        *ScorecardAmendment.objects.filter(scorecard__in=scorecards).values_list(
            "reason", flat=True
        ),
        *[
            str(c)
            for c in ScorecardAmendment.objects.filter(scorecard__in=scorecards).values_list(
                "changes", flat=True
            )
        ],
        *DebuggingSession.objects.filter(**on).values_list("notes", flat=True),
        *BugFinding.objects.filter(session__application_id=application_id).values_list(
            "notes", flat=True
        ),
        *TakeHomeGrade.objects.filter(assignment__in=takehomes).values_list("notes", flat=True),
        *TakeHomeCriterionScore.objects.filter(grade__assignment__in=takehomes).values_list(
            "comment", flat=True
        ),
        *takehomes.values_list("repository_url", flat=True),
    ]


def test_erasure_scrubs_what_was_written_and_deletes_the_take_home(settings):
    # given two candidates' full interview histories
    media = Path(settings.MEDIA_ROOT)
    ada = _history("Ada Lovelace", media=media)
    grace = _history("Grace Hopper", media=media)
    assert ada["file"].exists()
    grace_texts = _texts(grace["application"].pk)

    # when Ada is erased
    erasure = candidate_erase(candidate=ada["application"].candidate)

    # then nothing written about her names her, and her work is gone from storage
    texts = " ".join(_texts(ada["application"].pk))
    assert "Ada" not in texts
    assert "Lovelace" not in texts
    assert "[erased] explained the trade-off well" in texts
    assert "ada" not in texts.lower().replace("[erased]", "")
    takehome = TakeHomeAssignment.objects.get(pk=ada["takehome"].pk)
    assert (takehome.submission_file.name, takehome.repository_url) == ("", "")
    assert not ada["file"].exists()
    assert erasure.counts["take-home submissions deleted"] == 1
    assert erasure.counts["interview notes and evidence scrubbed"] >= 8
    # ratings, recommendations, statuses and dates stay
    card = Scorecard.objects.get(pk=ada["scorecard"].pk)
    assert (card.recommendation, card.status) == ("yes", "submitted")
    assert set(card.ratings.values_list("rating", flat=True)) <= {3, 4}
    assert takehome.status == TakeHomeAssignment.Status.GRADED
    assert takehome.submitted_at is not None
    # the events of her interview records are redacted whole
    application_id = str(ada["application"].pk)
    assert {
        ("scorecard", str(card.pk)),
        ("takehome", str(takehome.pk)),
        ("verdict", application_id),
        *(("interview", str(i.pk)) for i in ada["interviews"]),
    } <= set(erasure.objects)
    assert Event.objects.filter(object_type="verdict", object_id=application_id).exists()
    # Grace's records are untouched
    assert _texts(grace["application"].pk) == grace_texts
    assert grace["file"].exists()


def test_the_export_has_every_interview_record(settings):
    ada = _history("Ada Lovelace", media=Path(settings.MEDIA_ROOT))

    document = candidate_export(candidate=ada["application"].candidate)

    section = document["interviews"]
    assert [i["status"] for i in section["interviews"]] == ["held", "cancelled"]
    assert section["interviews"][1]["cancel_reason"] == "Ada Lovelace asked to move it"
    held = next(i for i in section["interviews"] if i["status"] == "held")
    scorecard = held["scorecards"][0]
    assert scorecard["recommendation"] == "yes"
    assert "Ada Lovelace is strong" in scorecard["summary"]
    assert scorecard["ratings"][0]["evidence"]
    assert "interviewer" not in scorecard
    takehome = section["take_homes"][0]
    assert takehome["status"] == "graded"
    assert takehome["grades"][0]["notes"] == "Ada Lovelace's notebook is clean"
    assert takehome["grades"][0]["scores"][0]["comment"] == "Ada tested this"
    session = section["pair_debugging"][0]
    assert session["notes"] == "Ada Lovelace talked through everything"
    assert session["findings"][0]["notes"] == "Ada spotted it at once"
    assert section["verdicts"][0]["application"] == ada["application"].pk
    assert section["verdicts"][0]["outcome"]
    # the audit trail covers the interview records' events
    objects = {entry["object"].split(":")[0] for entry in document["audit_trail"]}
    assert {"interview", "scorecard", "takehome"} <= objects
