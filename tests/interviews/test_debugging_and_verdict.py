"""Pair-debugging sessions (services + API) and the verdict: how evidence combines, against the
application's own bar version."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hiring.models import RoleBar
from hiring.services import role_profile_publish_bars
from interviews.models import DebuggingTask
from interviews.services.debugging import (
    debugging_give_hint,
    debugging_mark_found,
    debugging_session_finish,
    debugging_session_start,
)
from interviews.services.scorecards import RatingInput, scorecard_save_draft, scorecard_submit
from interviews.verdict import application_verdict
from tests.interviews.factories import (
    InterviewFactory,
    application_for,
    hiring_manager,
    interviewer,
    recruiter,
    seeded_kit,
)

pytestmark = pytest.mark.django_db


def run_session(application, person, slug="regression-eval-shapes", hints=(0, None)):
    """hints: per bug in order, the hints used before finding it, or None for not found."""
    task = DebuggingTask.objects.get(slug=slug)
    session = debugging_session_start(application=application, task=task, interviewer=person)
    for bug, used in zip(task.bugs.all(), hints, strict=False):
        for _ in range(used or 0):
            debugging_give_hint(session=session, bug_id=bug.pk)
        if used is not None:
            debugging_mark_found(session=session, bug_id=bug.pk, notes="explained it")
    return debugging_session_finish(session=session)


def scorecard(application, person, kit, ratings, recommendation="yes"):
    interview = InterviewFactory(application=application, kit=kit, interviewers=[person])
    card = scorecard_save_draft(
        interview=interview,
        by=person,
        ratings=[RatingInput(slug, r, "evidence" if r else "") for slug, r in ratings.items()],
        recommendation=recommendation,
    )
    return scorecard_submit(scorecard=card, by=person)


def test_session_records_hints_in_order_finds_and_refuses_after_finish():
    application, person = application_for(), interviewer()
    task = DebuggingTask.objects.get(slug="feature-selection-leak")
    bug = task.bugs.get()
    session = debugging_session_start(application=application, task=task, interviewer=person)
    assert [debugging_give_hint(session=session, bug_id=bug.pk) for _ in bug.hints] == bug.hints
    with pytest.raises(ValidationError):
        debugging_give_hint(session=session, bug_id=bug.pk)
    at = timezone.now() + timedelta(minutes=12)
    finding = debugging_mark_found(session=session, bug_id=bug.pk, at=at)
    assert finding.found_at == at
    finding.refresh_from_db()
    assert finding.hints_used == len(bug.hints)
    debugging_session_finish(session=session)
    with pytest.raises(ValidationError):
        debugging_mark_found(session=session, bug_id=bug.pk)


def test_debugging_session_api_is_scoped(api):
    manager = hiring_manager()
    application = application_for(manager=manager)
    person = interviewer()
    session = run_session(application, person, hints=(1, None))
    body = api.as_user(manager).get(f"/api/v1/debugging-sessions/{session.pk}/").json()
    assert body["task"] == "regression-eval-shapes"
    assert [(f["category"], f["found"], f["hints_used"]) for f in body["findings"]] == [
        ("shapes", True, 1),
        ("metric", False, 0),
    ]
    assert api.as_user(person).get(f"/api/v1/debugging-sessions/{session.pk}/").status_code == 200
    assert (
        api.as_user(interviewer()).get(f"/api/v1/debugging-sessions/{session.pk}/").status_code
        == 404
    )
    assert api.as_user(hiring_manager()).get("/api/v1/debugging-sessions/").json()["results"] == []


def test_verdict_uses_the_application_bar_version_not_the_current_bars():
    # given an ML engineer application (software-engineering minimum 3 in version 1)
    application = application_for("ml-engineer")
    bars = {b["competency"]: b for b in application.bar_version.bars}
    assert bars["software-engineering"]["minimum_level"] == 3
    scorecard(
        application,
        interviewer(),
        seeded_kit("ml-engineer", "pair-debugging"),
        {"software-engineering": 3, "ml-knowledge": 3},
    )
    # when the profile's bar is raised afterwards
    RoleBar.objects.filter(
        role_profile=application.opening.role_profile, competency__slug="software-engineering"
    ).update(minimum_level=4)
    role_profile_publish_bars(role_profile=application.opening.role_profile)
    # then this application is still judged against version 1
    verdict = application_verdict(application=application)
    software = next(c for c in verdict.competencies if c.competency == "software-engineering")
    assert (software.minimum_level, software.level, software.status) == (3, 3, "met")
    assert verdict.bar_version == application.bar_version.number


def test_levels_combine_by_low_median_across_scorecards_take_homes_and_debugging():
    application = application_for("ml-engineer")
    kit = seeded_kit("ml-engineer", "pair-debugging")
    # scorecards: 4 and 2 on software-engineering -> with debugging evidence below
    scorecard(application, interviewer(), kit, {"software-engineering": 4, "ml-knowledge": None})
    scorecard(application, interviewer(), kit, {"software-engineering": 2, "ml-knowledge": None})
    # debugging: bug 1 found with 1 hint (3), bug 2 not found (1) -> low median 1
    session = run_session(application, interviewer(), hints=(1, None))
    verdict = application_verdict(application=application)
    software = next(c for c in verdict.competencies if c.competency == "software-engineering")
    assert sorted(e.level for e in software.evidence) == [1, 2, 4]
    assert software.level == 2
    assert software.status == "below"
    assert {e.kind for e in software.evidence} == {"scorecard", "pair_debugging"}
    assert any(e.source_id == session.pk for e in software.evidence)
    # "no evidence" answers are not evidence
    ml = next(c for c in verdict.competencies if c.competency == "ml-knowledge")
    assert ml.evidence == []
    assert ml.status == "missing"
    assert verdict.outcome == "below_bar"
    assert verdict.summary.startswith("Below the bar on Software engineering")
    assert "not enough evidence on" in verdict.summary


def test_meets_every_bar_and_confirms_strengths():
    application = application_for("ml-product-manager")
    ratings = {
        b["competency"]: max(b["minimum_level"], b["strength_level"] or 0)
        for b in application.bar_version.bars
    }
    ratings["communication"] = 3  # strength level 4 not reached
    # one interview kit that rates everything is not seeded; use kits covering the bars
    for stage in ("screen", "applied-ml-design", "past-project-deep-dive", "communication-culture"):
        kit = seeded_kit("ml-product-manager", stage)
        scorecard(
            application,
            interviewer(),
            kit,
            {c.slug: ratings[c.slug] for c in kit.focus_competencies.all()},
        )
    verdict = application_verdict(application=application)
    assert verdict.outcome == "meets_every_bar", verdict.summary
    assert verdict.summary == "Meets every bar."
    assert "product-sense" in verdict.strengths_confirmed
    assert "communication" in verdict.strengths_not_confirmed
    # bars of 1 with no strength need no evidence
    untested = [c for c in verdict.competencies if c.status == "not_tested"]
    assert untested
    assert all(c.minimum_level == 1 for c in untested)


def test_verdict_api_is_for_recruiters_and_the_hiring_manager_only(api):
    manager = hiring_manager()
    application = application_for(manager=manager)
    person = interviewer()
    scorecard(
        application,
        person,
        seeded_kit(),
        {c.slug: 3 for c in seeded_kit().focus_competencies.all()},
    )
    url = f"/api/v1/applications/{application.pk}/verdict/"
    for user in (manager, recruiter()):
        body = api.as_user(user).get(url).json()
        assert body["outcome"] == "not_enough_evidence"
        assert body["bar_version"] == application.bar_version.number
        communication = next(c for c in body["competencies"] if c["competency"] == "communication")
        assert communication["level"] == 3
        assert communication["evidence"][0]["kind"] == "scorecard"
    assert api.as_user(person).get(url).status_code == 404
    assert api.as_user(hiring_manager()).get(url).status_code == 404


def test_verdict_query_count_does_not_grow_with_evidence(django_assert_max_num_queries):
    application = application_for()
    kit = seeded_kit()
    scorecard(application, interviewer(), kit, {c.slug: 3 for c in kit.focus_competencies.all()})
    run_session(application, interviewer())
    with django_assert_max_num_queries(12) as captured:
        application_verdict(application=application)
    baseline = len(captured.captured_queries)
    for _ in range(3):
        scorecard(
            application, interviewer(), kit, {c.slug: 2 for c in kit.focus_competencies.all()}
        )
        run_session(application, interviewer())
    with django_assert_max_num_queries(baseline):
        application_verdict(application=application)


def test_debugging_session_list_query_count_is_constant(api, django_assert_max_num_queries):
    user = recruiter()
    run_session(application_for(), interviewer())
    api.as_user(user)
    with django_assert_max_num_queries(8) as captured:
        assert len(api.get("/api/v1/debugging-sessions/").json()["results"]) == 1
    baseline = len(captured.captured_queries)
    for slug in ("imbalanced-metrics", "label-encoding", "mse-reduction"):
        run_session(application_for(), interviewer(), slug=slug, hints=(0, 1))
    with django_assert_max_num_queries(baseline):
        assert len(api.get("/api/v1/debugging-sessions/").json()["results"]) == 4
