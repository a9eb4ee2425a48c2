"""Reads of the interview modules, always scoped to the requester. Who sees what:

- recruiters (``hiring.view_application``) see every interview, submitted scorecard, take-home
  and debugging session;
- the hiring manager of an opening sees the same for that opening's applications;
- an interviewer sees the interviews they are assigned to, their own scorecards, and the other
  submitted scorecards of an application only once they have submitted their own for it;
- nobody but its author ever sees a draft scorecard.

Query shape (joins, prefetches) is decided here so list pages and endpoints keep a constant
number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Prefetch, Q, QuerySet, Subquery

from core.requester import User
from hiring import roles
from hiring.models import Application, Level
from hiring.selectors import can_see_all_hiring
from interviews.models import (
    BugFinding,
    DebuggingSession,
    Interview,
    InterviewKit,
    KitQuestion,
    Recommendation,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
    TakeHomeAssignment,
    TakeHomeCriterionScore,
    TakeHomeGrade,
    TakeHomeTemplate,
)


def _assigned_interview_ids(user: User) -> QuerySet[Interview, Any]:
    return Interview.objects.filter(interviewers__pk=user.pk or 0).values("pk")


# --- kits ---------------------------------------------------------------------------------------


def kits_visible_to(*, user: User) -> QuerySet[InterviewKit]:
    """Kits are reference material: everyone holding ``view_interviewkit`` (all built-in groups)
    reads every kit; anyone else only the kits of interviews they take part in."""
    kits = (
        InterviewKit.objects.select_related("role_profile")
        .prefetch_related(
            "focus_competencies",
            "default_interviewers",
            Prefetch("questions", queryset=KitQuestion.objects.select_related("competency")),
        )
        .order_by("role_profile__title", "stage")
    )
    if not user.is_authenticated:
        return kits.none()
    if user.has_perm("interviews.view_interviewkit"):
        return kits
    return kits.filter(pk__in=Interview.objects.filter(interviewers=user).values("kit_id"))


def kits_for_application(
    kits: QuerySet[InterviewKit], *, application_id: int
) -> QuerySet[InterviewKit]:
    """Of ``kits``, those an interview of the application may use: its opening's role
    profile's (``services.interviews.kit_mismatch_error``)."""
    role = Application.objects.filter(pk=application_id).values("opening__role_profile_id")
    return kits.filter(role_profile_id=Subquery(role[:1]))


def takehome_templates_for_application(
    templates: QuerySet[TakeHomeTemplate], *, application_id: int
) -> QuerySet[TakeHomeTemplate]:
    """Of ``templates``, those a take-home of the application may be sent from: active, and of
    its opening's role profile or of none (``services.takehomes.takehome_assign``); none for
    an application that is not there."""
    application = Application.objects.filter(pk=application_id)
    role = application.values("opening__role_profile_id")
    return templates.filter(
        Q(role_profile_id=Subquery(role[:1])) | Q(role_profile__isnull=True),
        Exists(application),
        is_active=True,
    )


def interviewer_choices() -> QuerySet[Any]:
    """The people an interview or a take-home may be given to: active accounts, by username,
    not an ATS integration's (it never interviews or grades anyone)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(groups__name=roles.ATS_INTEGRATIONS)
        .order_by("username")
    )


# --- interviews ---------------------------------------------------------------------------------


def _interviews() -> QuerySet[Interview]:
    return Interview.objects.select_related(
        "kit",
        "kit__role_profile",
        "application",
        "application__candidate",
        "application__opening",
        "application__bar_version",
    ).prefetch_related(
        # In the order they have accounts, so a panel reads the same on every page load (the
        # join table alone has no order).
        Prefetch("interviewers", queryset=get_user_model().objects.order_by("pk"))
    )


def interviews_visible_to(*, user: User) -> QuerySet[Interview]:
    interviews = _interviews()
    if can_see_all_hiring(user):
        return interviews
    if not user.is_authenticated:
        return interviews.none()
    return interviews.filter(
        Q(pk__in=_assigned_interview_ids(user)) | Q(application__opening__hiring_manager=user)
    )


def interviews_assigned_to(*, user: User) -> QuerySet[Interview]:
    """ "My interviews": the ones this user takes part in, whatever else they may see; a
    cancelled interview is no longer theirs to prepare for."""
    if not user.is_authenticated:
        return Interview.objects.none()
    return _interviews().filter(pk__in=_assigned_interview_ids(user), cancelled_at__isnull=True)


@dataclass(frozen=True)
class CompetencyBar:
    """What the role expects of one competency, from the application's frozen bar version."""

    minimum_level: int
    strength_level: int | None

    @property
    def minimum_label(self) -> str:
        return _level_label(self.minimum_level)

    @property
    def strength_label(self) -> str:
        return _level_label(self.strength_level) if self.strength_level else ""


def _level_label(level: int) -> str:
    """ "3 — strong", as the rating buttons next to it say it."""
    return f"{level} — {Level(level).label.split(' - ', 1)[-1]}"


def competency_bars(*, application: Application) -> dict[str, CompetencyBar]:
    """``{competency slug: CompetencyBar}`` for the bars ``application`` is judged against (never
    the profile's current bars, which may have moved on since it opened)."""
    return {
        bar["competency"]: CompetencyBar(
            minimum_level=int(bar["minimum_level"]), strength_level=bar.get("strength_level")
        )
        for bar in application.bar_version.bars
    }


def interviews_split_by_time(
    interviews: QuerySet[Interview], *, now: Any
) -> tuple[list[Interview], list[Interview]]:
    """(upcoming soonest first, past most recent first). An interview counts as upcoming until
    its kit's duration has run out, so one in progress stays at the top."""
    upcoming: list[Interview] = []
    past: list[Interview] = []
    for interview in interviews.order_by("scheduled_at", "id"):
        ends = interview.scheduled_at + timedelta(minutes=interview.kit.duration_minutes)
        (upcoming if ends > now else past).append(interview)
    past.reverse()
    return upcoming, past


# --- scorecards ---------------------------------------------------------------------------------


def sees_all_scorecards_of(*, user: User, application_id: int) -> bool:
    """Recruiters and the opening's hiring manager read every submitted scorecard at once."""
    if can_see_all_hiring(user):
        return True
    return Application.objects.filter(
        pk=application_id, opening__hiring_manager_id=user.pk
    ).exists()


def scorecards_visible_to(*, user: User) -> QuerySet[Scorecard]:
    scorecards = Scorecard.objects.select_related(
        "interviewer", "interview", "interview__kit"
    ).prefetch_related(
        Prefetch("ratings", queryset=ScorecardRating.objects.select_related("competency")),
        Prefetch("amendments", queryset=ScorecardAmendment.objects.select_related("author")),
    )
    if not user.is_authenticated:
        return scorecards.none()
    own = Q(interviewer=user)
    if can_see_all_hiring(user):
        return scorecards.filter(own | Q(status=Scorecard.Status.SUBMITTED))
    # The applications this user has submitted a scorecard for: their "unlock" of the others.
    unlocked = Scorecard.objects.filter(interviewer=user, status=Scorecard.Status.SUBMITTED).values(
        "interview__application_id"
    )
    others = Q(status=Scorecard.Status.SUBMITTED) & (
        Q(interview__application__opening__hiring_manager=user)
        | Q(interview__application_id__in=unlocked)
    )
    return scorecards.filter(own | others)


def scorecards_of_application(*, user: User, application_id: int) -> QuerySet[Scorecard]:
    return scorecards_visible_to(user=user).filter(interview__application_id=application_id)


def scorecard_effective(*, scorecard: Scorecard) -> dict[str, tuple[int | None, str]]:
    """The ratings as they stand after amendments: ``{competency slug: (rating, evidence)}``.
    Uses prefetched ``ratings``/``amendments`` when present."""
    values = {r.competency.slug: (r.rating, r.evidence) for r in scorecard.ratings.all()}
    for amendment in scorecard.amendments.all():
        for slug, change in (amendment.changes.get("ratings") or {}).items():
            after = change["after"]
            values[slug] = (after["rating"], after["evidence"])
    return values


@dataclass(frozen=True)
class ScorecardView:
    """A scorecard as readers see it: amendments applied, competencies by name, in kit order."""

    scorecard: Scorecard
    rows: list[tuple[str, int | None, str]]
    recommendation: str
    recommendation_label: str


def scorecard_view(*, scorecard: Scorecard) -> ScorecardView:
    values = scorecard_effective(scorecard=scorecard)
    names = {r.competency.slug: r.competency.name for r in scorecard.ratings.all()}
    recommendation = scorecard_effective_recommendation(scorecard=scorecard)
    return ScorecardView(
        scorecard=scorecard,
        rows=[
            (names.get(slug, slug), rating, evidence) for slug, (rating, evidence) in values.items()
        ],
        recommendation=recommendation,
        recommendation_label=Recommendation(recommendation).label if recommendation else "",
    )


def scorecard_effective_recommendation(*, scorecard: Scorecard) -> str:
    recommendation = scorecard.recommendation
    for amendment in scorecard.amendments.all():
        if "recommendation" in amendment.changes:
            recommendation = amendment.changes["recommendation"]["after"]
    return recommendation


# --- take-homes ---------------------------------------------------------------------------------


def takehome_assignments_visible_to(*, user: User) -> QuerySet[TakeHomeAssignment]:
    """Recruiters and hiring managers only; graders reach assignments through
    ``takehomes_to_grade`` which never joins the candidate."""
    assignments = (
        TakeHomeAssignment.objects.select_related("template")
        .prefetch_related("graders")
        .annotate(
            grades_submitted=Count(
                "grades", filter=Q(grades__status=TakeHomeGrade.Status.SUBMITTED)
            )
        )
    )
    if can_see_all_hiring(user):
        return assignments
    if not user.is_authenticated:
        return assignments.none()
    return assignments.filter(application__opening__hiring_manager=user)


def takehomes_to_grade(*, user: User) -> QuerySet[TakeHomeAssignment]:
    """The assignments this user grades. Deliberately no join to the application or candidate:
    the grading pages render from this queryset and must not be able to show who it is."""
    if not user.is_authenticated:
        return TakeHomeAssignment.objects.none()
    return (
        TakeHomeAssignment.objects.filter(graders=user)
        .select_related("template")
        .prefetch_related("template__criteria__competency")
        .order_by("-sent_at", "-id")
    )


def takehome_grades(*, assignment: TakeHomeAssignment) -> QuerySet[TakeHomeGrade]:
    return assignment.grades.select_related("grader").prefetch_related(
        Prefetch("scores", queryset=TakeHomeCriterionScore.objects.select_related("criterion"))
    )


# --- pair debugging -----------------------------------------------------------------------------


def debugging_sessions_visible_to(*, user: User) -> QuerySet[DebuggingSession]:
    sessions = DebuggingSession.objects.select_related(
        "task", "interviewer", "application"
    ).prefetch_related(
        Prefetch(
            "findings", queryset=BugFinding.objects.select_related("bug").order_by("bug__order")
        )
    )
    if can_see_all_hiring(user):
        return sessions
    if not user.is_authenticated:
        return sessions.none()
    return sessions.filter(Q(interviewer=user) | Q(application__opening__hiring_manager=user))
