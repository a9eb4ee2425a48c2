"""A realistic generated hiring history for demos and the benchmark: openings of the seeded roles
with their dates, candidates from every source, applications walking the pipeline with stage
conversions and days in stage that differ by opening and source, interviews with panels of
interviewers (two of them biased, so calibration has something to find) and take-homes graded
twice. Never for production data: ``demo_history`` (the command) refuses there.

Rows are written in bulk, with their historical times: ``created_at`` fields are
``auto_now_add``, which bulk inserts would overwrite with now, so ``_historical_times`` switches
that off for the duration of the write (this process only, inside one transaction).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone

from analytics.history import PIPELINE
from hiring import roles
from hiring.models import (
    Application,
    BarVersion,
    Candidate,
    Opening,
    RoleProfile,
    Stage,
    StageChange,
)
from interviews.models import (
    Interview,
    InterviewKit,
    Scorecard,
    ScorecardRating,
    TakeHomeAssignment,
    TakeHomeCriterionScore,
    TakeHomeGrade,
    TakeHomeTemplate,
)
from interviews.services.takehomes import CODE_ALPHABET

DEMO_PREFIX = "demo-"
# Chance of moving on from each stage (sourced … offer); openings differ around these.
BASE_CONVERSION = np.array([0.45, 0.55, 0.5, 0.55, 0.65, 0.55, 0.8])
MEAN_DAYS = np.array([4.0, 6.0, 7.0, 9.0, 5.0, 4.0, 8.0])
# Source: (share of applicants, multiplier on the first two conversions).
SOURCE_MIX = {
    "arxiv": (0.25, 0.7),
    "github": (0.15, 0.8),
    "ats": (0.25, 1.0),
    "inbound": (0.15, 1.1),
    "referral": (0.1, 1.5),
    "manual": (0.1, 1.0),
}
BIAS = {"demo-lenient": 0.9, "demo-strict": -0.6}


@dataclasses.dataclass(frozen=True)
class Generated:
    openings: int
    applications: int
    stage_changes: int
    scorecards: int
    grades: int


@contextlib.contextmanager
def _historical_times() -> Iterator[None]:
    fields = [
        f
        for model in (Application, StageChange, Candidate, Opening, Scorecard, TakeHomeGrade)
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateTimeField) and (f.auto_now_add or f.auto_now)
    ]
    saved = [(f, f.auto_now_add, f.auto_now) for f in fields]
    for f in fields:
        f.auto_now_add = f.auto_now = False
    try:
        yield
    finally:
        for f, add, now in saved:
            f.auto_now_add, f.auto_now = add, now


def has_real_data() -> bool:
    """Anything in hiring that the generator did not make."""
    return Opening.objects.exclude(title__startswith=DEMO_PREFIX).exists()


def has_demo_data() -> bool:
    return Opening.objects.filter(title__startswith=DEMO_PREFIX).exists()


def _user(username: str, group: str) -> Any:
    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def generate(
    *,
    openings: int = 16,
    applicants_per_opening: int = 250,
    seed: int = 7,
    now: dt.datetime | None = None,
    with_interviews: bool = True,
) -> Generated:
    """Write the history in one transaction and say how much was written."""
    rng = np.random.default_rng(seed)
    now = now or timezone.now()
    roles.ensure_default_groups()
    managers = [_user(f"demo-manager-{i}", roles.HIRING_MANAGERS) for i in range(2)]
    interviewers = [_user(name, roles.INTERVIEWERS) for name in BIAS] + [
        _user(f"demo-interviewer-{i}", roles.INTERVIEWERS) for i in range(5)
    ]
    profiles = list(RoleProfile.objects.filter(is_active=True).order_by("slug"))
    bars = {b.role_profile_id: b for b in BarVersion.objects.order_by("role_profile", "number")}
    kits: dict[tuple[int, str], InterviewKit] = {
        (k.role_profile_id, k.stage): k
        for k in InterviewKit.objects.prefetch_related("focus_competencies")
    }
    templates = {
        t.role_profile_id: t for t in TakeHomeTemplate.objects.prefetch_related("criteria")
    }
    sources = list(SOURCE_MIX)
    shares = np.array([SOURCE_MIX[s][0] for s in sources])
    with transaction.atomic(), _historical_times():
        opening_rows = []
        for index in range(openings):
            profile = profiles[index % len(profiles)]
            if profile.pk not in bars:
                bars[profile.pk] = BarVersion.objects.create(
                    role_profile=profile, number=1, bars=[]
                )
            days_open = int(rng.integers(10, 150))
            opened = now - dt.timedelta(days=days_open)
            opening_rows.append(
                Opening(
                    title=f"{DEMO_PREFIX}{profile.title} {index + 1}",
                    role_profile=profile,
                    headcount=int(rng.choice([1, 1, 1, 2])),
                    hiring_manager=managers[index % len(managers)],
                    status=Opening.Status.OPEN,
                    opened_on=opened.date(),
                    target_fill_date=(
                        opened + dt.timedelta(days=int(rng.integers(90, 240)))
                    ).date(),
                    created_at=opened,
                    updated_at=opened,
                )
            )
        Opening.objects.bulk_create(opening_rows)
        candidates: list[Candidate] = []
        apps: list[Application] = []
        changes: list[list[tuple[str, dt.datetime]]] = []
        for opening in opening_rows:
            _opening_history(rng, opening, applicants_per_opening, now, sources, shares,
                             candidates, apps, changes)  # fmt: skip
        Opening.objects.bulk_update(opening_rows, ["status", "closed_on"])
        Candidate.objects.bulk_create(candidates, batch_size=5000)
        for app in apps:
            app.candidate_id = app.candidate.pk
            app.bar_version = bars[app.opening.role_profile_id]
        Application.objects.bulk_create(apps, batch_size=5000)
        stage_changes = [
            StageChange(
                application=app,
                from_stage=previous,
                to_stage=stage,
                created_at=at,
                rejection_reason="other" if stage == Stage.REJECTED else "",
            )
            for app, moves in zip(apps, changes, strict=True)
            for previous, (stage, at) in zip(["", *[m[0] for m in moves]], moves, strict=False)
        ]
        StageChange.objects.bulk_create(stage_changes, batch_size=10000)
        scorecards = grades = 0
        if with_interviews:
            scorecards, grades = _interviews(rng, apps, changes, kits, templates, interviewers)
    return Generated(
        openings=len(opening_rows),
        applications=len(apps),
        stage_changes=len(stage_changes),
        scorecards=scorecards,
        grades=grades,
    )


def _opening_history(
    rng: np.random.Generator,
    opening: Opening,
    applicants: int,
    now: dt.datetime,
    sources: list[str],
    shares: np.ndarray,
    candidates: list[Candidate],
    apps: list[Application],
    changes: list[list[tuple[str, dt.datetime]]],
) -> None:
    assert opening.opened_on is not None
    opened = timezone.make_aware(dt.datetime.combine(opening.opened_on, dt.time(9)))
    span = (now - opened).total_seconds() / 86400
    conversion = rng.beta(20 * BASE_CONVERSION, 20 * (1 - BASE_CONVERSION))
    # ``applicants`` arrive over 300 days at a steady rate (fewer if opened more recently).
    count = int(rng.poisson(applicants * span / 300))
    arrivals = np.sort(rng.random(count) * span)
    paths = []
    for arrival in arrivals:
        source = sources[int(rng.choice(len(sources), p=shares / shares.sum()))]
        boost = SOURCE_MIX[source][1]
        t = float(arrival)
        moves: list[tuple[str, float]] = [(Stage.SOURCED, t)]
        for rank in range(len(PIPELINE) - 1):
            t += float(rng.gamma(2.0, MEAN_DAYS[rank] / 2.0))
            p = min(conversion[rank] * (boost if rank < 2 else 1.0), 0.97)
            if rng.random() < p:
                # Inbound and referred applicants often skip the contact step.
                step = 2 if rank == 0 and source in ("inbound", "referral") else 1
                moves.append((PIPELINE[min(rank + step, len(PIPELINE) - 1)], t))
                if moves[-1][0] == Stage.HIRED:
                    break
                if step == 2:
                    continue
            else:
                moves.append(
                    (str(rng.choice([Stage.REJECTED, Stage.REJECTED, Stage.WITHDRAWN])), t)
                )
                break
        paths.append((source, moves))
    hires = sorted(m[-1][1] for _, m in paths if m[-1][0] == Stage.HIRED and m[-1][1] < span)
    filled_at = hires[opening.headcount - 1] if len(hires) >= opening.headcount else None
    if filled_at is not None:
        opening.status = Opening.Status.CLOSED
        opening.closed_on = (opened + dt.timedelta(days=filled_at)).date()
    cutoff = min(span, filled_at) if filled_at is not None else span
    for index, (source, moves) in enumerate(paths):
        if moves[0][1] > cutoff:
            continue
        kept = [(stage, t) for stage, t in moves if t <= cutoff]
        if filled_at is not None and kept[-1][0] not in (Stage.HIRED, Stage.REJECTED,
                                                          Stage.WITHDRAWN):  # fmt: skip
            kept.append((Stage.REJECTED, filled_at))
        times = [(stage, opened + dt.timedelta(days=t)) for stage, t in kept]
        candidate = Candidate(
            full_name=f"Demo Candidate {opening.title[-3:].strip()}-{index}",
            source=source,
            created_at=times[0][1],
            updated_at=times[0][1],
        )
        candidates.append(candidate)
        last_stage, last_at = times[-1]
        apps.append(
            Application(
                candidate=candidate,
                opening=opening,
                stage=last_stage,
                rejection_reason="other" if last_stage == Stage.REJECTED else "",
                stage_changed_at=last_at,
                created_at=times[0][1],
                updated_at=last_at,
            )
        )
        changes.append(times)


def _demo_code(digest: str, *, taken: set[str]) -> str:
    """A submission code shaped like the ones the service draws (``TH-`` and six of its
    letters and digits), from the assignment's digest, so that demo take-homes read like real
    ones; unique among ``taken`` (which it joins)."""
    while True:
        value = int(digest, 16)
        code = "TH-" + "".join(CODE_ALPHABET[(value >> (5 * i)) & 31] for i in range(6))
        if code not in taken:
            taken.add(code)
            return code
        digest = hashlib.sha256(digest.encode()).hexdigest()


def _interviews(
    rng: np.random.Generator,
    apps: list[Application],
    changes: list[list[tuple[str, dt.datetime]]],
    kits: dict[tuple[int, str], InterviewKit],
    templates: dict[Any, TakeHomeTemplate],
    interviewers: list[Any],
) -> tuple[int, int]:
    """Panels of two or three on screens and onsites that happened; ratings = the candidate's
    ability + the interviewer's bias + noise, with some "no evidence"; take-homes graded twice."""
    bias = np.array([BIAS.get(u.username, 0.0) for u in interviewers])
    interviews: list[Interview] = []
    panels: list[tuple[Interview, list[int], float, list[Any]]] = []
    assignments: list[tuple[TakeHomeAssignment, float]] = []
    codes: set[str] = set()
    for app, moves in zip(apps, changes, strict=True):
        ability = float(rng.normal(2.6, 0.7))
        entered = {stage: at for stage, at in moves}
        role = app.opening.role_profile_id
        for stage in ("screen", "onsite"):
            kit = kits.get((role, stage))
            if stage not in entered or kit is None:
                continue
            interview = Interview(
                application=app, kit=kit, scheduled_at=entered[stage] + dt.timedelta(days=1)
            )
            interviews.append(interview)
            panel = list(rng.choice(len(interviewers), size=int(rng.integers(2, 4)), replace=False))
            panels.append((interview, panel, ability, list(kit.focus_competencies.all())))
        template = templates.get(role)
        if Stage.TAKE_HOME in entered and template is not None:
            sent = entered[Stage.TAKE_HOME]
            code = hashlib.sha256(f"{app.pk}".encode()).hexdigest()
            submission_code = _demo_code(code, taken=codes)
            assignments.append(
                (
                    TakeHomeAssignment(
                        application=app,
                        template=template,
                        submission_code=submission_code,
                        token_hash=code,
                        status=TakeHomeAssignment.Status.GRADED,
                        sent_at=sent,
                        due_at=sent + dt.timedelta(days=5),
                        link_expires_at=sent + dt.timedelta(days=7),
                        submitted_at=sent + dt.timedelta(days=4),
                    ),
                    ability,
                )
            )
    Interview.objects.bulk_create(interviews, batch_size=5000)
    through = Interview.interviewers.through
    through.objects.bulk_create(
        [
            through(interview_id=i.pk, user_id=interviewers[j].pk)
            for i, p, _, _ in panels
            for j in p
        ],
        batch_size=10000,
    )
    cards: list[Scorecard] = []
    ratings: list[tuple[Scorecard, Any, int | None]] = []
    for interview, panel, ability, competencies in panels:
        for j in panel:
            if rng.random() < 0.03:
                continue  # a scorecard still owed: the dashboard's "waiting for scorecards"
            at = interview.scheduled_at + dt.timedelta(hours=2)
            card = Scorecard(
                interview=interview,
                interviewer=interviewers[j],
                status=Scorecard.Status.SUBMITTED,
                recommendation="yes" if ability + bias[j] > 2.5 else "no",
                submitted_at=at,
                created_at=at,
                updated_at=at,
            )
            cards.append(card)
            for competency in competencies:
                value: int | None = int(
                    np.clip(np.rint(ability + bias[j] + rng.normal(0, 0.5)), 1, 4)
                )
                if rng.random() < (0.25 if BIAS.get(interviewers[j].username, 0) < 0 else 0.08):
                    value = None
                ratings.append((card, competency, value))
    Scorecard.objects.bulk_create(cards, batch_size=5000)
    ScorecardRating.objects.bulk_create(
        [
            ScorecardRating(
                scorecard=card,
                competency=competency,
                rating=value,
                evidence="Generated demo evidence." if value is not None else "",
            )
            for card, competency, value in ratings
        ],
        batch_size=10000,
    )
    TakeHomeAssignment.objects.bulk_create([a for a, _ in assignments], batch_size=5000)
    grades: list[tuple[TakeHomeGrade, float, float]] = []
    for assignment, ability in assignments:
        for j in rng.choice(len(interviewers), size=2, replace=False):
            at = assignment.submitted_at or assignment.sent_at
            grade = TakeHomeGrade(
                assignment=assignment,
                grader=interviewers[j],
                status=TakeHomeGrade.Status.SUBMITTED,
                submitted_at=at,
                created_at=at,
            )
            grades.append((grade, ability, float(bias[j])))
    TakeHomeGrade.objects.bulk_create([g for g, _, _ in grades], batch_size=5000)
    criteria = {t.pk: list(t.criteria.all()) for t in {a.template for a, _ in assignments}}
    TakeHomeCriterionScore.objects.bulk_create(
        [
            TakeHomeCriterionScore(
                grade=grade,
                criterion=criterion,
                score=int(np.clip(np.rint(ability + grader_bias + rng.normal(0, 0.5)), 1, 4)),
            )
            for grade, ability, grader_bias in grades
            for criterion in criteria[grade.assignment.template_id]
        ],
        batch_size=10000,
    )
    return len(cards), len(grades)
