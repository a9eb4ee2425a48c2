"""The rules of ``interviews.verdict``, one at a time, on a small role built for each test (so every
bar, strength and piece of evidence is the test's own) and evidence recorded through the
interviews services, as interviewers, graders and pair-debugging sessions would record it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from hiring.models import Application, Competency, RoleBar
from hiring.services import role_profile_publish_bars
from interviews.models import (
    BugCategory,
    DebuggingTask,
    InterviewKit,
    InterviewStage,
    Scorecard,
    SeededBug,
    TakeHomeAssignment,
    TakeHomeCriterion,
    TakeHomeTemplate,
)
from interviews.services.debugging import (
    debugging_give_hint,
    debugging_mark_found,
    debugging_session_finish,
    debugging_session_start,
)
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
from interviews.verdict import CompetencyVerdict, Verdict, application_verdict
from tests.hiring.factories import (
    ApplicationFactory,
    CompetencyFactory,
    OpeningFactory,
    RoleBarFactory,
    RoleProfileFactory,
)
from tests.interviews.factories import InterviewFactory, interviewer

pytestmark = pytest.mark.django_db

# --- building a role and recording evidence -----------------------------------------------------


def application_with_bars(bars: dict[str, tuple[int, int | None]]) -> Application:
    """An application against version 1 of a new role whose bars are ``{slug: (minimum,
    strength)}``, in that display order. Competencies are named after their slug ("alpha" is
    "Alpha")."""
    profile = RoleProfileFactory()
    for order, (slug, (minimum, strength)) in enumerate(bars.items()):
        RoleBarFactory(
            role_profile=profile,
            competency=CompetencyFactory(slug=slug, name=slug.title(), display_order=order),
            minimum_level=minimum,
            strength_level=strength,
        )
    return ApplicationFactory(opening=OpeningFactory(role_profile=profile))


def kit(application: Application, *, stage: str = InterviewStage.SCREEN, also: str = "") -> Any:
    """The role's kit for ``stage``, rating every barred competency (and ``also``, when given)."""
    profile = application.opening.role_profile
    found, created = InterviewKit.objects.get_or_create(
        role_profile=profile, stage=stage, defaults={"title": stage, "instructions": "Ask."}
    )
    if created:
        focus = list(Competency.objects.filter(bars__role_profile=profile))
        if also:
            focus.append(CompetencyFactory(slug=also, name=also.title()))
        found.focus_competencies.set(focus)
    return found


def scorecard(
    application: Application,
    ratings: dict[str, int | None],
    *,
    submit: bool = True,
    stage: str = InterviewStage.SCREEN,
    also: str = "",
) -> Scorecard:
    """One interviewer's scorecard on a new interview; focus competencies not in ``ratings`` are
    answered "no evidence"."""
    used = kit(application, stage=stage, also=also)
    person = interviewer()
    interview = InterviewFactory(application=application, kit=used, interviewers=[person])
    answers = {c.slug: None for c in used.focus_competencies.all()} | ratings
    card = scorecard_save_draft(
        interview=interview,
        by=person,
        ratings=[
            RatingInput(slug, rating, f"said {rating}" if rating else "")
            for slug, rating in answers.items()
        ],
        recommendation="yes",
    )
    return scorecard_submit(scorecard=card, by=person) if submit else card


def takehome(application: Application, criteria: list[str]) -> TakeHomeAssignment:
    """A submitted take-home whose rubric has one criterion per slug in ``criteria``."""
    template = TakeHomeTemplate.objects.create(
        title="Ranking take-home", role_profile=application.opening.role_profile, brief="Rank."
    )
    for order, slug in enumerate(criteria):
        TakeHomeCriterion.objects.create(
            template=template,
            order=order,
            title=f"Criterion {order}",
            guidance="1 to 4",
            competency=Competency.objects.get(slug=slug),
        )
    graders = [interviewer(), interviewer()]
    created = takehome_assign(
        application=application,
        template=template,
        due_at=timezone.now() + timedelta(days=3),
        graders=graders,
    )
    return takehome_submit(
        assignment=created.assignment, repository_url="https://git.example.org/anon"
    )


def grade(assignment: TakeHomeAssignment, grader_index: int, scores: list[int], *, submit: bool):
    """Grader ``grader_index`` scores the criteria in rubric order."""
    grader = list(assignment.graders.order_by("pk"))[grader_index]
    criteria = list(assignment.template.criteria.all())
    return takehome_grade_save(
        assignment=assignment,
        grader=grader,
        scores=[CriterionScoreInput(c.pk, s) for c, s in zip(criteria, scores, strict=True)],
        submit=submit,
    )


def debugging_task(competencies: list[str], *, bugs: int) -> DebuggingTask:
    """A task with ``bugs`` seeded bugs of three hints each, evidence of ``competencies``."""
    task = DebuggingTask.objects.create(
        slug=f"task-{DebuggingTask.objects.count()}",
        title="Shapes",
        description="Trains a model.",
        buggy_source="x = 1\n",
        fixed_source="x = 2\n",
        expected_behaviour="Different.",
    )
    task.competencies.set(Competency.objects.filter(slug__in=competencies))
    for order in range(bugs):
        SeededBug.objects.create(
            task=task,
            order=order,
            category=BugCategory.SHAPES,
            title=f"Bug {order}",
            explanation="Broadcasts.",
            line_start=1,
            line_end=1,
            hints=["look", "look closer", "there"],
        )
    return task


def debugging_session(
    application: Application,
    task: DebuggingTask,
    bugs: list[tuple[int, bool]],
    *,
    finish: bool = True,
) -> Any:
    """A session where, for each bug in order, ``(hints given, found)``."""
    session = debugging_session_start(application=application, task=task, interviewer=interviewer())
    for bug, (hints, found) in zip(task.bugs.all(), bugs, strict=True):
        for _ in range(hints):
            debugging_give_hint(session=session, bug_id=bug.pk)
        if found:
            debugging_mark_found(session=session, bug_id=bug.pk)
    return debugging_session_finish(session=session) if finish else session


def competency(verdict: Verdict, slug: str) -> CompetencyVerdict:
    return next(c for c in verdict.competencies if c.competency == slug)


# --- one competency against its bar ------------------------------------------------------------


def test_a_level_at_the_minimum_meets_the_bar():
    # given a bar of 3
    application = application_with_bars({"alpha": (3, None)})

    # when the evidence is exactly 3
    scorecard(application, {"alpha": 3})
    verdict = application_verdict(application=application)

    # then
    alpha = competency(verdict, "alpha")
    assert (alpha.level, alpha.met, alpha.status, alpha.status_label) == (
        3,
        True,
        "met",
        "Meets the bar",
    )
    assert verdict.outcome == "meets_every_bar"
    assert verdict.summary == "Meets every bar."
    assert (verdict.below, verdict.missing) == ([], [])


def test_a_level_under_the_minimum_is_below_the_bar():
    # given
    application = application_with_bars({"alpha": (3, None)})

    # when
    scorecard(application, {"alpha": 2})
    verdict = application_verdict(application=application)

    # then
    alpha = competency(verdict, "alpha")
    assert (alpha.level, alpha.met, alpha.status, alpha.status_label) == (
        2,
        False,
        "below",
        "Below the bar",
    )
    assert verdict.below == ["alpha"]
    assert verdict.outcome == "below_bar"
    assert verdict.summary == "Below the bar on Alpha."


def test_a_bar_above_one_without_evidence_is_missing():
    # given
    application = application_with_bars({"alpha": (2, None)})

    # when nobody has rated it
    verdict = application_verdict(application=application)

    # then
    alpha = competency(verdict, "alpha")
    assert (alpha.level, alpha.met, alpha.has_evidence, alpha.evidence) == (None, None, False, [])
    assert (alpha.status, alpha.status_label) == ("missing", "No evidence yet")
    assert verdict.missing == ["alpha"]
    assert verdict.outcome == "not_enough_evidence"
    assert verdict.summary == "Not enough evidence on Alpha."


def test_a_bar_of_one_without_a_strength_needs_no_evidence():
    # given a role that only asks for the bottom of the scale on beta
    application = application_with_bars({"alpha": (2, None), "beta": (1, None)})

    # when only alpha is rated
    scorecard(application, {"alpha": 2})
    verdict = application_verdict(application=application)

    # then beta does not hold the verdict back
    beta = competency(verdict, "beta")
    assert (beta.needs_evidence, beta.status, beta.status_label) == (
        False,
        "not_tested",
        "Not needed (bar of 1)",
    )
    assert verdict.missing == []
    assert verdict.outcome == "meets_every_bar"


def test_a_bar_of_one_with_a_strength_to_validate_needs_evidence():
    # given
    application = application_with_bars({"alpha": (1, 3)})

    # when
    verdict = application_verdict(application=application)

    # then
    alpha = competency(verdict, "alpha")
    assert (alpha.needs_evidence, alpha.status) == (True, "missing")
    assert verdict.outcome == "not_enough_evidence"


def test_a_bar_of_one_with_evidence_is_met_by_any_level():
    application = application_with_bars({"alpha": (1, None)})
    scorecard(application, {"alpha": 1})
    assert competency(application_verdict(application=application), "alpha").status == "met"


# --- the whole application -----------------------------------------------------------------------


def test_below_outweighs_missing_and_the_summary_names_both_in_bar_order():
    # given four bars: two will be below, one without evidence, one met
    application = application_with_bars(
        {"alpha": (3, None), "beta": (2, None), "gamma": (3, None), "delta": (2, None)}
    )

    # when
    scorecard(application, {"alpha": 2, "gamma": 1, "delta": 2})
    verdict = application_verdict(application=application)

    # then
    assert [c.competency for c in verdict.competencies] == ["alpha", "beta", "gamma", "delta"]
    assert (verdict.below, verdict.missing) == (["alpha", "gamma"], ["beta"])
    assert verdict.outcome == "below_bar"
    assert verdict.summary == "Below the bar on Alpha, Gamma; not enough evidence on Beta."


def test_meets_every_bar_only_when_nothing_is_below_or_missing():
    # given
    application = application_with_bars({"alpha": (3, None), "beta": (2, None), "gamma": (1, None)})

    # when the first interviewer rates alpha only, then a second one rates beta
    scorecard(application, {"alpha": 4})
    before = application_verdict(application=application)
    scorecard(application, {"beta": 2})
    after = application_verdict(application=application)

    # then
    assert before.outcome == "not_enough_evidence"
    assert after.outcome == "meets_every_bar"
    assert after.application_id == application.pk
    assert after.bar_version == application.bar_version.number


# --- strengths -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("rating", "confirmed"), [(3, True), (4, True), (2, False)])
def test_a_strength_is_confirmed_at_or_above_its_level(rating, confirmed):
    # given a minimum of 2 and a strength hypothesis at 3
    application = application_with_bars({"alpha": (2, 3)})

    # when
    scorecard(application, {"alpha": rating})
    verdict = application_verdict(application=application)

    # then an unconfirmed strength is not a failed bar
    alpha = competency(verdict, "alpha")
    assert alpha.strength_confirmed is confirmed
    assert alpha.status == "met"
    assert verdict.outcome == "meets_every_bar"
    assert verdict.strengths_confirmed == (["alpha"] if confirmed else [])
    assert verdict.strengths_not_confirmed == ([] if confirmed else ["alpha"])
    assert verdict.strengths_confirmed_names == (["Alpha"] if confirmed else [])
    assert verdict.strengths_not_confirmed_names == ([] if confirmed else ["Alpha"])


def test_a_strength_without_evidence_is_not_confirmed_and_keeps_the_verdict_open():
    # given
    application = application_with_bars({"alpha": (2, None), "beta": (3, 4)})

    # when only alpha is rated
    scorecard(application, {"alpha": 2})
    verdict = application_verdict(application=application)

    # then beta is neither confirmed nor refuted, listed as not confirmed, and missing
    beta = competency(verdict, "beta")
    assert beta.strength_confirmed is None
    assert verdict.strengths_confirmed == []
    assert verdict.strengths_not_confirmed == ["beta"]
    assert verdict.missing == ["beta"]


def test_a_competency_without_a_strength_is_in_neither_strength_list():
    # given
    application = application_with_bars({"alpha": (2, None)})

    # when
    scorecard(application, {"alpha": 4})
    verdict = application_verdict(application=application)

    # then
    assert competency(verdict, "alpha").strength_confirmed is None
    assert (verdict.strengths_confirmed, verdict.strengths_not_confirmed) == ([], [])


def test_a_strength_below_the_minimum_is_below_the_bar_and_not_confirmed():
    # given
    application = application_with_bars({"alpha": (3, 4)})

    # when
    scorecard(application, {"alpha": 2})
    verdict = application_verdict(application=application)

    # then
    assert verdict.outcome == "below_bar"
    assert verdict.strengths_not_confirmed == ["alpha"]


# --- scorecards as evidence ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "level"),
    [
        ([2, 3], 2),  # a tie between two levels counts as the lower one
        ([1, 4, 4], 4),  # one outlier does not decide alone, downwards...
        ([4, 1, 1], 1),  # ...nor upwards
        ([2, 3, 3, 4], 3),
        ([1, 2, 3, 4], 2),
    ],
)
def test_the_level_is_the_low_median_of_the_ratings(ratings, level):
    # given a bar of 3
    application = application_with_bars({"alpha": (3, None)})

    # when each interviewer rates alpha
    for rating in ratings:
        scorecard(application, {"alpha": rating})
    verdict = application_verdict(application=application)

    # then
    alpha = competency(verdict, "alpha")
    assert sorted(e.level for e in alpha.evidence) == sorted(ratings)
    assert alpha.level == level
    assert alpha.status == ("met" if level >= 3 else "below")


def test_drafts_and_no_evidence_answers_count_for_nothing():
    # given
    application = application_with_bars({"alpha": (2, None), "beta": (2, None)})

    # when a draft rates both, and a submitted scorecard says "no evidence" on beta
    scorecard(application, {"alpha": 1, "beta": 4}, submit=False)
    scorecard(application, {"alpha": 3, "beta": None})
    verdict = application_verdict(application=application)

    # then only the submitted rating of alpha is evidence
    assert [e.level for e in competency(verdict, "alpha").evidence] == [3]
    assert competency(verdict, "beta").status == "missing"


def test_scorecard_evidence_names_its_source():
    # given
    application = application_with_bars({"alpha": (2, None)})

    # when
    card = scorecard(application, {"alpha": 3})
    verdict = application_verdict(application=application)

    # then
    [evidence] = competency(verdict, "alpha").evidence
    assert (evidence.kind, evidence.source_id, evidence.level) == ("scorecard", card.pk, 3)
    assert evidence.label == f"Scorecard by {card.interviewer.get_username()} (Screen)"


def test_amendments_apply_in_order_on_top_of_the_submitted_rating():
    # given a submitted 2 against a bar of 3
    application = application_with_bars({"alpha": (3, None)})
    card = scorecard(application, {"alpha": 2})

    # when its author corrects it to 4, then to 3
    for rating in (4, 3):
        scorecard_amend(
            scorecard=card,
            by=card.interviewer,
            reason="re-read my notes",
            ratings=[RatingInput("alpha", rating, "re-read")],
        )
    verdict = application_verdict(application=application)

    # then the last correction stands
    alpha = competency(verdict, "alpha")
    assert [e.level for e in alpha.evidence] == [3]
    assert alpha.status == "met"


def test_an_amendment_to_no_evidence_withdraws_the_rating():
    # given
    application = application_with_bars({"alpha": (3, None)})
    card = scorecard(application, {"alpha": 4})

    # when
    scorecard_amend(
        scorecard=card,
        by=card.interviewer,
        reason="that was another candidate",
        ratings=[RatingInput("alpha", None)],
    )
    verdict = application_verdict(application=application)

    # then
    assert competency(verdict, "alpha").status == "missing"
    assert verdict.outcome == "not_enough_evidence"


def test_ratings_of_competencies_outside_the_bars_are_ignored():
    # given a kit that also rates a competency the role does not bar
    application = application_with_bars({"alpha": (2, None)})

    # when
    scorecard(application, {"alpha": 2, "omega": 1}, stage=InterviewStage.MATH, also="omega")
    verdict = application_verdict(application=application)

    # then it neither appears nor pulls the verdict down
    assert [c.competency for c in verdict.competencies] == ["alpha"]
    assert verdict.outcome == "meets_every_bar"


def test_evidence_about_another_application_does_not_count():
    # given the same candidate in two openings of the same role
    application = application_with_bars({"alpha": (3, None)})
    elsewhere = ApplicationFactory(
        candidate=application.candidate,
        opening=OpeningFactory(role_profile=application.opening.role_profile),
    )

    # when only the other application has evidence
    scorecard(elsewhere, {"alpha": 4})
    assignment = takehome(elsewhere, ["alpha"])
    grade(assignment, 0, [4], submit=True)
    debugging_session(elsewhere, debugging_task(["alpha"], bugs=1), [(0, True)])
    verdict = application_verdict(application=application)

    # then
    assert competency(verdict, "alpha").status == "missing"
    assert competency(application_verdict(application=elsewhere), "alpha").level == 4


# --- take-homes as evidence ----------------------------------------------------------------------


def test_a_take_home_is_one_piece_at_the_low_median_of_every_submitted_score():
    # given a rubric with two criteria on alpha and one on beta, graded by two graders
    application = application_with_bars({"alpha": (3, None), "beta": (2, None)})
    assignment = takehome(application, ["alpha", "alpha", "beta"])

    # when their alpha scores are 1, 2 and 3, 4 (median 2.5, low median 2)
    grade(assignment, 0, [1, 2, 4], submit=True)
    grade(assignment, 1, [3, 4, 2], submit=True)
    verdict = application_verdict(application=application)

    # then each competency gets one piece from this take-home
    alpha, beta = competency(verdict, "alpha"), competency(verdict, "beta")
    assert [(e.kind, e.source_id, e.level) for e in alpha.evidence] == [
        ("take_home", assignment.pk, 2)
    ]
    assert alpha.evidence[0].label == f"Take-home {assignment.submission_code} (4 scores)"
    assert [e.level for e in beta.evidence] == [2]
    assert (alpha.status, beta.status) == ("below", "met")


def test_only_submitted_grades_count():
    # given
    application = application_with_bars({"alpha": (3, None)})
    assignment = takehome(application, ["alpha"])

    # when one grader submits a 3 and the other leaves a draft 1
    grade(assignment, 0, [3], submit=True)
    grade(assignment, 1, [1], submit=False)
    verdict = application_verdict(application=application)

    # then
    [evidence] = competency(verdict, "alpha").evidence
    assert (evidence.level, evidence.label) == (
        3,
        f"Take-home {assignment.submission_code} (1 scores)",
    )


def test_a_take_home_with_only_draft_grades_is_no_evidence():
    application = application_with_bars({"alpha": (3, None)})
    grade(takehome(application, ["alpha"]), 0, [4], submit=False)
    assert competency(application_verdict(application=application), "alpha").status == "missing"


def test_each_take_home_is_its_own_piece_of_evidence():
    # given two take-homes of 4 and 2, and a scorecard of 3
    application = application_with_bars({"alpha": (3, None)})
    first, second = takehome(application, ["alpha"]), takehome(application, ["alpha"])
    grade(first, 0, [4], submit=True)
    grade(second, 0, [2], submit=True)
    scorecard(application, {"alpha": 3})

    # when
    verdict = application_verdict(application=application)

    # then three pieces, not a pooled take-home score
    alpha = competency(verdict, "alpha")
    assert sorted((e.kind, e.level) for e in alpha.evidence) == [
        ("scorecard", 3),
        ("take_home", 2),
        ("take_home", 4),
    ]
    assert alpha.level == 3


# --- pair debugging as evidence ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hints", "found", "level"),
    [
        (0, True, 4),
        (1, True, 3),
        (2, True, 2),
        (3, True, 2),  # never below 2 once found
        (0, False, 1),
        (3, False, 1),
    ],
)
def test_a_bug_scores_4_found_unaided_one_less_per_hint_at_least_2_and_1_when_missed(
    hints, found, level
):
    # given a one-bug task
    application = application_with_bars({"alpha": (2, None)})
    task = debugging_task(["alpha"], bugs=1)

    # when
    session = debugging_session(application, task, [(hints, found)])
    verdict = application_verdict(application=application)

    # then
    [evidence] = competency(verdict, "alpha").evidence
    assert (evidence.kind, evidence.source_id, evidence.level) == (
        "pair_debugging",
        session.pk,
        level,
    )
    assert evidence.label == f"Pair debugging: Shapes ({int(found)}/1 bugs found)"


@pytest.mark.parametrize(
    ("bugs", "level"),
    [
        ([(0, True), (0, False)], 1),  # 4 and 1: the tie goes to the lower
        ([(0, True), (1, True), (0, False)], 3),  # 4, 3, 1
        ([(0, True), (0, True), (2, True)], 4),  # 4, 4, 2
    ],
)
def test_a_session_is_the_low_median_of_its_bugs(bugs, level):
    # given
    application = application_with_bars({"alpha": (2, None)})
    task = debugging_task(["alpha"], bugs=len(bugs))

    # when
    debugging_session(application, task, bugs)
    verdict = application_verdict(application=application)

    # then
    assert [e.level for e in competency(verdict, "alpha").evidence] == [level]


def test_a_session_is_evidence_for_every_competency_of_its_task():
    # given a task about alpha and beta, and a role that also bars gamma
    application = application_with_bars({"alpha": (3, None), "beta": (3, None), "gamma": (2, None)})
    task = debugging_task(["alpha", "beta"], bugs=1)

    # when
    debugging_session(application, task, [(1, True)])
    verdict = application_verdict(application=application)

    # then
    assert [e.level for e in competency(verdict, "alpha").evidence] == [3]
    assert [e.level for e in competency(verdict, "beta").evidence] == [3]
    assert competency(verdict, "gamma").evidence == []


def test_an_unfinished_session_is_no_evidence():
    # given
    application = application_with_bars({"alpha": (2, None)})

    # when the bug is found but the session is still running
    debugging_session(application, debugging_task(["alpha"], bugs=1), [(0, True)], finish=False)
    verdict = application_verdict(application=application)

    # then
    assert competency(verdict, "alpha").status == "missing"


def test_a_finished_session_on_a_task_without_bugs_is_no_evidence():
    # given
    application = application_with_bars({"alpha": (2, None)})

    # when
    debugging_session(application, debugging_task(["alpha"], bugs=0), [])
    verdict = application_verdict(application=application)

    # then there was nothing to find, so nothing was shown
    assert competency(verdict, "alpha").status == "missing"


# --- mixed evidence and bar versions -------------------------------------------------------------


def test_scorecards_take_homes_and_sessions_pool_into_one_low_median():
    # given a bar of 3
    application = application_with_bars({"alpha": (3, None)})

    # when a scorecard says 4, a take-home 2 and a session 3 (found after one hint), then a
    # scorecard of 2 and a draft 4 arrive
    scorecard(application, {"alpha": 4})
    assignment = takehome(application, ["alpha"])
    grade(assignment, 0, [2], submit=True)
    debugging_session(application, debugging_task(["alpha"], bugs=1), [(1, True)])
    first = application_verdict(application=application)
    scorecard(application, {"alpha": 2})
    scorecard(application, {"alpha": 4}, submit=False)
    second = application_verdict(application=application)

    # then [2, 3, 4] meets the bar; [2, 2, 3, 4] has the low median 2 and does not
    assert competency(first, "alpha").level == 3
    assert first.outcome == "meets_every_bar"
    alpha = competency(second, "alpha")
    assert sorted((e.kind, e.level) for e in alpha.evidence) == [
        ("pair_debugging", 3),
        ("scorecard", 2),
        ("scorecard", 4),
        ("take_home", 2),
    ]
    assert alpha.level == 2
    assert second.outcome == "below_bar"


def test_bars_published_after_the_application_opened_do_not_apply_to_it():
    # given an application on version 1: alpha at least 2, no strength
    application = application_with_bars({"alpha": (2, None)})
    scorecard(application, {"alpha": 3})

    # when the role raises the bar to 4 and adds a strength, and publishes version 2
    RoleBar.objects.filter(role_profile=application.opening.role_profile).update(
        minimum_level=4, strength_level=4
    )
    version_2 = role_profile_publish_bars(role_profile=application.opening.role_profile)
    verdict = application_verdict(application=application)

    # then the application is still judged against version 1
    alpha = competency(verdict, "alpha")
    assert version_2.number == 2
    assert verdict.bar_version == 1
    assert (alpha.minimum_level, alpha.strength_level, alpha.status) == (2, None, "met")
    assert verdict.strengths_not_confirmed == []
    # and an application opened now is judged against version 2
    later = ApplicationFactory(opening=application.opening)
    scorecard(later, {"alpha": 3})
    assert application_verdict(application=later).outcome == "below_bar"
