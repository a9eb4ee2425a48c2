"""Reads behind the analytics pages and API: the funnel, interviewer calibration and the
dashboard, each scoped to the requester with hiring's own selectors (a hiring manager counts
only the openings they manage) and each in a fixed number of queries, whatever the data size."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from analytics.calibration import MIN_SHARED, Rating, agreement, rater_calibration
from analytics.forecast import selectors as forecast_selectors
from analytics.history import (
    HIRED_RANK,
    PIPELINE,
    SOURCE_LABELS,
    History,
    Scope,
    histories,
    history_rows,
    total,
)
from core.requester import User
from hiring.models import Application, Candidate, Opening, RoleProfile, Stage
from hiring.selectors import can_see_all_hiring, openings_visible_to
from hiring.services.notices import candidates_by_notice
from interviews.models import Interview, Scorecard, ScorecardRating, TakeHomeCriterionScore
from sourcing.github.models import ImplementationRun
from sourcing.models import SourcingRun

Z_90 = 1.6449


def can_see_calibration(user: User) -> bool:
    """Calibration names interviewers: recruiters and admins only
    (``analytics.view_calibration``)."""
    return bool(user.is_authenticated and user.has_perm("analytics.view_calibration"))


def visible_opening_ids(*, user: User) -> list[int] | None:
    """None when the requester sees every opening, otherwise the ids they may see."""
    if can_see_all_hiring(user):
        return None
    return list(openings_visible_to(user=user).values_list("id", flat=True))


@dataclasses.dataclass(frozen=True)
class FunnelFilters:
    role: RoleProfile | None = None
    opening: Opening | None = None
    source: str | None = None
    created_from: dt.datetime | None = None
    created_before: dt.datetime | None = None


def _wilson(successes: int, trials: int) -> tuple[float | None, float | None, float | None]:
    if trials == 0:
        return None, None, None
    p = successes / trials
    z2 = Z_90**2
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = Z_90 * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials**2)) / (1 + z2 / trials)
    return p, max(centre - half, 0.0), min(centre + half, 1.0)


def _stage_rows(history: History) -> list[dict[str, Any]]:
    rows = []
    for rank, stats in enumerate(history.stages):
        conversion, low, high = _wilson(stats.advanced, stats.decided)
        row: dict[str, Any] = {
            "stage": PIPELINE[rank],
            "reached": stats.reached,
            "advanced": stats.advanced,
            "exited": stats.exited,
            "pending": stats.pending,
            "skipped": stats.skipped,
            "conversion": conversion,
            "conversion_low": low,
            "conversion_high": high,
            "dwell_median_days": stats.dwell_quantile(0.5),
            "dwell_p90_days": stats.dwell_quantile(0.9),
            "dwell_observations": int(stats.dwell.sum()),
        }
        if rank == HIRED_RANK:
            row.update(conversion=None, conversion_low=None, conversion_high=None)
        rows.append(row)
    return rows


def funnel(*, user: User, filters: FunnelFilters) -> dict[str, Any]:
    """Reached, conversion (decided cases only, 90 % Wilson interval) and days in stage (median
    and 90th percentile of observed advances) per stage, overall and per source, and the
    source of every hire. Two queries (visibility, then the history)."""
    scope = Scope(
        opening_ids=visible_opening_ids(user=user),
        role_profile_id=filters.role.pk if filters.role else None,
        opening_id=filters.opening.pk if filters.opening else None,
        source=filters.source,
        created_from=filters.created_from,
        created_before=filters.created_before,
    )
    by_source = histories(history_rows(scope=scope, group_by="source"))
    overall = total(by_source.values())
    hires = overall.hires
    sources = []
    for source, history in sorted(by_source.items(), key=lambda item: -item[1].stages[0].reached):
        entered = history.stages[0].reached
        sources.append(
            {
                "source": source,
                "label": SOURCE_LABELS.get(str(source), str(source)),
                "applications": entered,
                "hires": history.hires,
                "hire_rate": history.hires / entered if entered else None,
                "share_of_hires": history.hires / hires if hires else None,
                "stages": _stage_rows(history),
            }
        )
    return {
        "filters": {
            "role": filters.role.slug if filters.role else None,
            "opening": filters.opening.pk if filters.opening else None,
            "source": filters.source,
            "created_from": filters.created_from,
            "created_before": filters.created_before,
        },
        "applications": overall.stages[0].reached,
        "hires": hires,
        "stages": _stage_rows(overall),
        "sources": sources,
    }


def _usernames(ids: set[Any]) -> dict[Any, str]:
    return dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))


def _raters(ratings: list[Rating], names: dict[Any, str]) -> list[dict[str, Any]]:
    return [
        {
            "id": r.rater,
            "username": names.get(r.rater, str(r.rater)),
            "shared_applications": r.shared,
            "ratings": r.ratings,
            "no_evidence_rate": r.no_evidence_rate,
            "leniency": r.leniency,
            "leniency_low": r.low,
            "leniency_high": r.high,
            "raw_mean_difference": r.raw_mean,
            "status": "ok" if r.enough_data else "not enough data",
        }
        for r in rater_calibration(ratings)
    ]


def _agreement(ratings: list[Rating]) -> dict[str, Any]:
    result = agreement(ratings)
    return {
        "alpha": result.alpha,
        "shared_units": result.units,
        "status": "ok" if result.alpha is not None else "not enough data",
    }


def calibration(*, role: RoleProfile | None = None) -> dict[str, Any]:
    """Interviewers per role (and per role and competency) and take-home graders per template:
    leniency against co-raters with a 90 % interval, "no evidence" rate, and ordinal alpha per
    competency and per kit. Callers check ``can_see_calibration`` first. Four queries."""
    ratings = ScorecardRating.objects.filter(scorecard__status=Scorecard.Status.SUBMITTED)
    scores = TakeHomeCriterionScore.objects.filter(grade__status="submitted")
    if role is not None:
        ratings = ratings.filter(scorecard__interview__application__opening__role_profile=role)
        scores = scores.filter(grade__assignment__template__role_profile=role)
    rows = ratings.values_list(
        "scorecard__interview__application__opening__role_profile_id",
        "scorecard__interview__application__opening__role_profile__title",
        "scorecard__interview__kit_id",
        "scorecard__interview__kit__title",
        "scorecard__interview__application_id",
        "competency_id",
        "competency__name",
        "scorecard__interviewer_id",
        "rating",
    )
    by_role: dict[Any, list[Rating]] = defaultdict(list)
    by_competency: dict[Any, list[Rating]] = defaultdict(list)
    by_kit: dict[Any, list[Rating]] = defaultdict(list)
    titles: dict[Any, str] = {}
    raters: set[Any] = set()
    for role_id, role_title, kit, kit_title, app, comp, comp_name, rater, value in rows:
        rating: Rating = ((app, comp), app, rater, value)
        titles[role_id] = role_title
        by_role[role_id].append(rating)
        by_competency[(role_id, comp, comp_name)].append(rating)
        by_kit[(role_id, kit, kit_title)].append(rating)
        raters.add(rater)

    graded = scores.values_list(
        "grade__assignment__template_id",
        "grade__assignment__template__title",
        "grade__assignment_id",
        "criterion_id",
        "criterion__title",
        "grade__grader_id",
        "score",
    )
    by_template: dict[Any, list[Rating]] = defaultdict(list)
    by_criterion: dict[Any, list[Rating]] = defaultdict(list)
    for template, template_title, assignment, criterion, criterion_title, grader, score in graded:
        rating = ((assignment, criterion), assignment, grader, score)
        by_template[(template, template_title)].append(rating)
        by_criterion[(template, criterion, criterion_title)].append(rating)
        raters.add(grader)
    names = _usernames(raters)

    roles = []
    for role_id, role_ratings in by_role.items():
        roles.append(
            {
                "role": role_id,
                "title": titles[role_id],
                "agreement": _agreement(role_ratings),
                "interviewers": _raters(role_ratings, names),
                "competencies": [
                    {
                        "competency": comp,
                        "name": name,
                        "agreement": _agreement(r),
                        "interviewers": _raters(r, names),
                    }
                    for (rid, comp, name), r in by_competency.items()
                    if rid == role_id
                ],
                "kits": [
                    {"kit": kit, "title": title, "agreement": _agreement(r)}
                    for (rid, kit, title), r in by_kit.items()
                    if rid == role_id
                ],
            }
        )
    take_homes = [
        {
            "template": template,
            "title": title,
            "agreement": _agreement(template_ratings),
            "graders": _raters(template_ratings, names),
            "criteria": [
                {"criterion": criterion, "title": ctitle, "agreement": _agreement(r)}
                for (tid, criterion, ctitle), r in by_criterion.items()
                if tid == template
            ],
        }
        for (template, title), template_ratings in by_template.items()
    ]
    return {"min_shared_applications": MIN_SHARED, "roles": roles, "take_homes": take_homes}


@dataclasses.dataclass(frozen=True)
class DashboardOpening:
    opening: Opening
    pipeline: dict[str, int]
    forecast: forecast_selectors.Forecast


@dataclasses.dataclass(frozen=True)
class Dashboard:
    openings: list[DashboardOpening]
    more_openings: int  # open openings beyond the ``DASHBOARD_OPENINGS`` shown
    awaiting_scorecards: int
    sourcing_runs: dict[str, int]
    implementation_runs: dict[str, int]
    notices: dict[str, int] | None  # Art. 14 notices: overdue, due within a week


DASHBOARD_RUNS = 2_000
# A dashboard is read at a glance: the openings whose target comes first; the rest are a link.
DASHBOARD_OPENINGS = 25


def dashboard(*, user: User, now: dt.datetime | None = None) -> Dashboard:
    """The admin index: open openings with their pipeline by stage and forecast, interviews
    waiting for scorecards, sourcing runs running or failed, privacy notices due. A fixed
    number of queries: the forecasts read every opening's history in one query and simulate
    ``DASHBOARD_RUNS`` futures each (the opening's own page runs the full 10,000)."""
    now = now or timezone.now()
    open_openings = openings_visible_to(user=user).filter(status=Opening.Status.OPEN)
    openings = list(
        open_openings.order_by(
            F("target_fill_date").asc(nulls_last=True), F("opened_on").asc(nulls_last=True), "id"
        )[: DASHBOARD_OPENINGS + 1]
    )
    more = 0
    if len(openings) > DASHBOARD_OPENINGS:
        openings = openings[:DASHBOARD_OPENINGS]
        more = open_openings.count() - DASHBOARD_OPENINGS
    ids = [o.pk for o in openings]
    pipelines: dict[int, dict[str, int]] = {pk: dict.fromkeys(PIPELINE, 0) for pk in ids}
    current: dict[int, list[tuple[str, dt.datetime]]] = defaultdict(list)
    for opening_id, stage, changed_at in Application.objects.filter(
        opening_id__in=ids, stage__in=PIPELINE
    ).values_list("opening_id", "stage", "stage_changed_at"):
        pipelines[opening_id][stage] += 1
        if stage != Stage.HIRED:
            current[opening_id].append((stage, changed_at))
    own = histories(history_rows(scope=Scope(opening_ids=ids), group_by="opening"))
    pooled = forecast_selectors.pooled(now=now)
    rows = []
    for opening in openings:
        pipeline = pipelines[opening.pk]
        rows.append(
            DashboardOpening(
                opening=opening,
                pipeline={s: n for s, n in pipeline.items() if s != Stage.HIRED},
                forecast=forecast_selectors.opening_forecast(
                    opening=opening,
                    runs=DASHBOARD_RUNS,
                    now=now,
                    pooled_data=pooled,
                    own=own.get(opening.pk, History()),
                    current=(pipeline[Stage.HIRED], current[opening.pk]),
                ),
            )
        )

    awaiting = _awaiting(user=user, now=now, opening_ids=visible_opening_ids(user=user))
    notices = None
    if can_see_all_hiring(user):
        candidates = Candidate.objects.all()
        notices = {
            state: candidates_by_notice(candidates, state, now=now).count()
            for state in ("overdue", "due")
        }
    return Dashboard(
        openings=rows,
        more_openings=more,
        awaiting_scorecards=awaiting.count(),
        sourcing_runs=_run_counts(SourcingRun),
        implementation_runs=_run_counts(ImplementationRun),
        notices=notices,
    )


def _awaiting(*, user: User, now: dt.datetime, opening_ids: list[int] | None) -> Any:
    """Interviewer seats of interviews that took place without a submitted scorecard."""
    through = Interview.interviewers.through
    submitted = Scorecard.objects.filter(
        interview=OuterRef("interview_id"),
        interviewer=OuterRef("user_id"),
        status=Scorecard.Status.SUBMITTED,
    )
    seats = through.objects.filter(interview__scheduled_at__lte=now).filter(~Exists(submitted))
    if opening_ids is not None:
        seats = seats.filter(interview__application__opening_id__in=opening_ids)
    return seats


def awaiting_scorecards(*, user: User, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The dashboard's "waiting for scorecards", one row per interviewer seat, oldest first."""
    seats = _awaiting(
        user=user, now=now or timezone.now(), opening_ids=visible_opening_ids(user=user)
    )
    return list(
        seats.order_by("interview__scheduled_at").values(
            "interview_id",
            "interview__scheduled_at",
            "interview__kit__title",
            "interview__application_id",
            "interview__application__candidate__full_name",
            "interview__application__opening__title",
            "user__username",
        )
    )


def _run_counts(model: Any) -> dict[str, int]:
    counts = model.objects.aggregate(
        running=Count("pk", filter=Q(status="running")),
        queued=Count("pk", filter=Q(status="queued")),
        failed=Count("pk", filter=Q(status="failed")),
    )
    return {key: int(value) for key, value in counts.items()}
