"""Done when: an interviewer runs a full loop for a candidate (kit, take-home graded blind, pair
debugging, scorecards) and the hiring manager reads a verdict against the role's bars from the
API. Every step goes through the public surface a person or an integration would use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from interviews.models import DebuggingTask, InterviewKit
from interviews.services.debugging import (
    debugging_mark_found,
    debugging_session_finish,
    debugging_session_start,
)
from interviews.services.interviews import interview_schedule
from tests.interviews.factories import (
    application_for,
    hiring_manager,
    interviewer,
    recruiter,
    seeded_template,
)

pytestmark = pytest.mark.django_db

# What the panel saw, per competency (software engineering is the candidate's standout).
RATINGS = {"software-engineering": 4}
DEFAULT_RATING = 3


def test_full_loop_ends_with_a_verdict_the_hiring_manager_reads(api):
    manager = hiring_manager(username="hm")
    staff = recruiter(username="rita")
    application = application_for("ml-engineer", manager=manager, full_name="Margaret Hamilton")
    panel = {
        stage: interviewer(username=f"iv-{stage}")
        for stage in application.opening.role_profile.interview_loop
    }

    # 1. the recruiter reads the role's kits and schedules one interview per stage of the loop
    kits = (
        api.as_user(staff).get("/api/v1/kits/", {"role_profile": "ml-engineer"}).json()["results"]
    )
    assert {k["stage"] for k in kits} == set(panel)
    interviews = {
        kit.stage: interview_schedule(
            application=application,
            kit=kit,
            scheduled_at=timezone.now() + timedelta(days=1),
            interviewers=[panel[kit.stage]],
            by=staff,
        )
        for kit in InterviewKit.objects.filter(role_profile__slug="ml-engineer")
    }

    # 2. take-home: sent through the API, submitted through the link, graded blind by two graders
    graders = [interviewer(username="grader-1"), interviewer(username="grader-2")]
    sent = api.post(
        "/api/v1/takehome-assignments/",
        {
            "application": application.pk,
            "template": seeded_template("ml-engineer").pk,
            "due_at": (timezone.now() + timedelta(days=5)).isoformat(),
            "graders": [g.pk for g in graders],
        },
        format="json",
    ).json()
    Client().post(
        sent["link"].split("testserver", 1)[-1],
        {"submission_file": SimpleUploadedFile("mh.zip", b"PK")},
    )
    assignment_id = sent["assignment"]["id"]
    for grader, score in zip(graders, (4, 3), strict=True):
        browser = Client()
        browser.force_login(grader)
        page = browser.get(f"/interviewer/take-homes/{assignment_id}/")
        assert b"Margaret Hamilton" not in page.content
        data = {"action": "submit"}
        for criterion in page.context["form"].criteria:
            strong = criterion.competency.slug == "software-engineering"
            data[f"score_{criterion.pk}"] = "4" if strong else str(score)
        assert browser.post(f"/interviewer/take-homes/{assignment_id}/", data).status_code == 302
    status = api.as_user(staff).get(f"/api/v1/takehome-assignments/{assignment_id}/").json()
    assert status["status"] == "graded"
    assert status["grades_submitted"] == 2

    # 3. pair debugging: the candidate finds the leak without a hint
    task = DebuggingTask.objects.get(slug="feature-selection-leak")
    session = debugging_session_start(
        application=application,
        task=task,
        interviewer=panel["pair-debugging"],
        interview=interviews["pair-debugging"],
    )
    debugging_mark_found(
        session=session, bug_id=task.bugs.get().pk, notes="Spotted selection on all rows."
    )
    debugging_session_finish(session=session)
    assert (
        api.as_user(manager)
        .get(f"/api/v1/debugging-sessions/{session.pk}/")
        .json()["findings"][0]["found"]
    )

    # 4. every interviewer submits a scorecard through the API
    for stage, interview in interviews.items():
        ratings = [
            {
                "competency": c.slug,
                "rating": RATINGS.get(c.slug, DEFAULT_RATING),
                "evidence": f"{stage}: concrete example for {c.slug}.",
            }
            for c in interview.kit.focus_competencies.all()
        ]
        response = api.as_user(panel[stage]).post(
            "/api/v1/scorecards/",
            {
                "interview": interview.pk,
                "ratings": ratings,
                "recommendation": "yes",
                "submit": True,
            },
            format="json",
        )
        assert response.status_code == 201, response.json()

    # 5. the hiring manager reads the verdict
    verdict = api.as_user(manager).get(f"/api/v1/applications/{application.pk}/verdict/").json()
    assert verdict["outcome"] == "meets_every_bar", verdict["summary"]
    assert verdict["summary"] == "Meets every bar."
    assert set(verdict["strengths_confirmed"]) == {
        "software-engineering",
        "ml-knowledge",
        "production-mlops",
    }
    software = next(c for c in verdict["competencies"] if c["competency"] == "software-engineering")
    assert software["level"] == 4
    assert software["minimum_level"] == 3
    assert {e["kind"] for e in software["evidence"]} == {"scorecard", "take_home", "pair_debugging"}
    # the take-home evidence names the anonymous code, not the person
    take_home = next(e for e in software["evidence"] if e["kind"] == "take_home")
    assert status["submission_code"] in take_home["label"]
