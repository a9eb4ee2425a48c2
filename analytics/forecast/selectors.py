"""The forecast of one opening, read from the database: a closed opening's actual outcome, or an
open one's Monte Carlo with every assumption it rests on.

Queries: the opening's own history, its applicants now in the pipeline, its hires, plus the
pooled role and global histories and arrivals, which are the same for every opening and are
cached for ``POOLED_CACHE_SECONDS`` (they read the whole stage history; the rest reads one
opening's). A forecast is a plan, not a ledger: minutes-old pooled rates are good enough.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import Any, cast

import numpy as np
from django.core.cache import cache
from django.utils import timezone

from analytics.forecast import pooling
from analytics.forecast.engine import ArrivalRate, ForecastInputs, simulate
from analytics.history import (
    PIPELINE,
    RANK,
    SOURCE_LABELS,
    History,
    Scope,
    arrival_rows,
    histories,
    history_rows,
    total,
)
from hiring.models import Application, Opening, Stage, StageChange

RUNS = 10_000
ARRIVAL_WINDOW_DAYS = 56
MIN_HORIZON_DAYS = 365
TARGET_CHANCE = 0.8
POOLED_CACHE_SECONDS = 600
_POOLED_CACHE_KEY = "analytics:pooled:v1"


@dataclasses.dataclass(frozen=True)
class Arrivals:
    """Applications per source in the window: per opening, per role (with how many openings
    received any), and over everything."""

    by_opening: dict[int, dict[str, int]]
    by_role: dict[int, dict[str, int]]
    role_openings: dict[int, int]
    everything: dict[str, int]
    openings: int


def _arrivals_from(rows: list[tuple[int, int, str, int]]) -> Arrivals:
    by_opening: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_role: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    role_openings: dict[int, set[int]] = defaultdict(set)
    everything: dict[str, int] = defaultdict(int)
    for opening_id, role_id, source, count in rows:
        by_opening[opening_id][source] += count
        by_role[role_id][source] += count
        role_openings[role_id].add(opening_id)
        everything[source] += count
    return Arrivals(
        by_opening={k: dict(v) for k, v in by_opening.items()},
        by_role={k: dict(v) for k, v in by_role.items()},
        role_openings={k: len(v) for k, v in role_openings.items()},
        everything=dict(everything),
        openings=len(by_opening),
    )


@dataclasses.dataclass(frozen=True)
class Pooled:
    """Histories per role and over everything, and arrivals in the window."""

    by_role: dict[int, History]
    everything: History
    arrivals: Arrivals
    window_start: dt.datetime


def pooled(*, now: dt.datetime | None = None, fresh: bool = False) -> Pooled:
    """The pooled histories and arrivals (two queries), from the cache unless ``fresh``."""
    if not fresh:
        cached = cache.get(_POOLED_CACHE_KEY)
        if cached is not None:
            return cast(Pooled, cached)
    now = now or timezone.now()
    by_role = {
        int(role): history  # type: ignore[call-overload]
        for role, history in histories(
            history_rows(scope=Scope(opening_ids=None), group_by="role")
        ).items()
    }
    since = now - dt.timedelta(days=ARRIVAL_WINDOW_DAYS)
    result = Pooled(
        by_role=by_role,
        everything=total(by_role.values()),
        arrivals=_arrivals_from(arrival_rows(since=since)),
        window_start=since,
    )
    cache.set(_POOLED_CACHE_KEY, result, POOLED_CACHE_SECONDS)
    return result


@dataclasses.dataclass(frozen=True)
class Outcome:
    hires: int
    filled: bool
    filled_on: dt.date | None
    met_target: bool | None


@dataclasses.dataclass(frozen=True)
class Forecast:
    """``kind`` is "outcome" for a closed opening (``outcome`` set, no simulation) and
    "forecast" otherwise. Dates are None when the quantile lies beyond ``horizon_end``."""

    opening: Opening
    kind: str
    today: dt.date
    hires: int
    pipeline: dict[str, int]
    outcome: Outcome | None = None
    runs: int = 0
    p_filled_by_target: float | None = None
    fill_dates: dict[str, dt.date | None] = dataclasses.field(default_factory=dict)
    extra_sourced_for_target: int | None = None
    horizon_end: dt.date | None = None
    weekly: list[tuple[dt.date, float]] = dataclasses.field(default_factory=list)
    beyond_horizon: float = 0.0
    stages: list[pooling.StageBasis] = dataclasses.field(default_factory=list)
    arrivals: list[ArrivalRate] = dataclasses.field(default_factory=list)
    arrival_basis: str = ""
    falls_back: bool = False
    assumptions: list[str] = dataclasses.field(default_factory=list)


def opening_forecast(
    *,
    opening: Opening,
    runs: int = RUNS,
    now: dt.datetime | None = None,
    pooled_data: Pooled | None = None,
    own: History | None = None,
    current: tuple[int, list[tuple[str, dt.datetime]]] | None = None,
    seed: int = 0,
) -> Forecast:
    """The forecast (or outcome) of an opening the caller may see (access is checked by the
    caller, e.g. ``hiring.permissions.access_opening_by_id``). ``own`` (the opening's history)
    and ``current`` (hires, then the stage and stage-change time of each applicant in the
    pipeline) are read here unless the caller read them for many openings at once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if current is None:
        current = _current(opening)
    hires, applicants = current
    pipeline = dict.fromkeys(PIPELINE[:-1], 0)
    for stage, _ in applicants:
        pipeline[stage] += 1

    if opening.status == Opening.Status.CLOSED:
        return Forecast(
            opening=opening,
            kind="outcome",
            today=today,
            hires=hires,
            pipeline=pipeline,
            outcome=_outcome(opening=opening, hires=hires),
        )

    pooled_data = pooled_data or pooled(now=now)
    if own is None:
        own = total(
            histories(
                history_rows(scope=Scope(opening_ids=None, opening_id=opening.pk), group_by="all")
            ).values()
        )
    role = pooled_data.by_role.get(opening.role_profile_id, History())
    everything = pooled_data.everything
    role_rest = role.merged(own, sign=-1)
    others = everything.merged(role, sign=-1)
    alpha, beta = pooling.conversion_posteriors(opening=own, role_rest=role_rest, others=others)
    dwell, dwell_basis = pooling.dwell_distributions(opening=own, role=role, everything=everything)
    arrivals, arrival_basis = _arrivals(opening=opening, pooled_data=pooled_data, now=now)

    days_to_target = (
        (opening.target_fill_date - today).days if opening.target_fill_date is not None else None
    )
    horizon = float(max(MIN_HORIZON_DAYS, int((days_to_target or 0) * 1.5)))
    inputs = ForecastInputs(
        alpha=alpha,
        beta=beta,
        dwell=dwell,
        current_ranks=np.array([RANK[stage] for stage, _ in applicants], dtype=np.int64),
        current_ages=np.array(
            [max((now - changed).total_seconds() / 86400, 0.0) for _, changed in applicants]
        ),
        arrivals=tuple(arrivals),
        need=max(opening.headcount - hires, 0),
        horizon_days=horizon,
    )
    simulation = simulate(inputs, runs=runs, seed=seed)

    def date_at(q: float) -> dt.date | None:
        days = simulation.quantile_days(q)
        return None if days is None else today + dt.timedelta(days=int(np.ceil(days)))

    weekly, beyond = _weekly(simulation.fill_days, today=today, horizon=horizon)
    falls_back = sum(s.reached for s in own.stages) == 0
    return Forecast(
        opening=opening,
        kind="forecast",
        today=today,
        hires=hires,
        pipeline=pipeline,
        runs=runs,
        p_filled_by_target=(
            simulation.p_filled_within(days_to_target) if days_to_target is not None else None
        ),
        fill_dates={name: date_at(q) for name, q in _QUANTILES.items()},
        extra_sourced_for_target=(
            simulation.extra_sourced_for(days=days_to_target, chance=TARGET_CHANCE)
            if days_to_target is not None
            else None
        ),
        horizon_end=today + dt.timedelta(days=int(horizon)),
        weekly=weekly,
        beyond_horizon=beyond,
        stages=pooling.stage_bases(
            alpha=alpha,
            beta=beta,
            opening=own,
            role=role,
            everything=everything,
            dwell_basis=dwell_basis,
            dwell_layers={"opening": own, "role": role, "everything": everything},
        ),
        arrivals=arrivals,
        arrival_basis=arrival_basis,
        falls_back=falls_back,
        assumptions=_assumptions(opening=opening, falls_back=falls_back, runs=runs, today=today),
    )


_QUANTILES = {"p10": 0.1, "p50": 0.5, "p80": 0.8, "p90": 0.9}


def _current(opening: Opening) -> tuple[int, list[tuple[str, dt.datetime]]]:
    hires = 0
    applicants = []
    for stage, changed_at in Application.objects.filter(
        opening=opening, stage__in=PIPELINE
    ).values_list("stage", "stage_changed_at"):
        if stage == Stage.HIRED:
            hires += 1
        else:
            applicants.append((stage, changed_at))
    return hires, applicants


def _outcome(*, opening: Opening, hires: int) -> Outcome:
    hired_at = list(
        StageChange.objects.filter(application__opening=opening, to_stage=Stage.HIRED)
        .order_by("created_at")
        .values_list("created_at", flat=True)[: opening.headcount]
    )
    filled = hires >= opening.headcount and len(hired_at) >= opening.headcount
    filled_on = timezone.localdate(hired_at[-1]) if filled else None
    met_target = None
    if opening.target_fill_date is not None:
        met_target = filled_on is not None and filled_on <= opening.target_fill_date
    return Outcome(hires=hires, filled=filled, filled_on=filled_on, met_target=met_target)


def _arrivals(
    *, opening: Opening, pooled_data: Pooled, now: dt.datetime
) -> tuple[list[ArrivalRate], str]:
    """Per source: Gamma posterior of arrivals per day (see ``pooling.arrival_rate``)."""
    arrivals = pooled_data.arrivals
    own = arrivals.by_opening.get(opening.pk, {})
    prior = arrivals.by_role.get(opening.role_profile_id, {})
    per_openings, basis = arrivals.role_openings.get(opening.role_profile_id, 0), "role"
    if not prior:
        prior, per_openings, basis = arrivals.everything, arrivals.openings, "everything"
    opened = opening.opened_on or timezone.localdate(opening.created_at)
    start = max(timezone.localdate(pooled_data.window_start), opened)
    exposure = max((timezone.localdate(now) - start).days, 0)
    rates = []
    for source in sorted(set(prior) | set(own)):
        prior_per_day = prior.get(source, 0) / max(per_openings, 1) / ARRIVAL_WINDOW_DAYS
        rates.append(
            pooling.arrival_rate(
                source=source,
                arrived=own.get(source, 0),
                exposure_days=exposure,
                prior_per_day=prior_per_day,
            )
        )
    return rates, f"{basis} ({per_openings} openings), own {exposure} days"


def _weekly(
    fill_days: np.ndarray, *, today: dt.date, horizon: float
) -> tuple[list[tuple[dt.date, float]], float]:
    weeks = int(np.ceil(horizon / 7))
    finite = fill_days[np.isfinite(fill_days)]
    counts = np.bincount((finite // 7).astype(np.int64), minlength=weeks)[:weeks]
    runs = max(len(fill_days), 1)
    weekly = [
        (today + dt.timedelta(weeks=week), float(count / runs)) for week, count in enumerate(counts)
    ]
    return weekly, float(1.0 - finite.size / runs)


def _assumptions(*, opening: Opening, falls_back: bool, runs: int, today: dt.date) -> list[str]:
    out = [
        f"{runs:,} simulated futures; every number below is a share of them.",
        "Stages form one chain (sourced → … → hired); a skipped stage is passed in no time.",
        "Stage conversions are Beta posteriors counting only decided cases (advanced or "
        f"rejected/withdrawn), pooled opening → role → everything with a prior worth "
        f"{pooling.PRIOR_WEIGHT:g} cases.",
        "Days in a stage are drawn from the observed days of the first of opening, role, "
        f"everything with at least {pooling.MIN_DWELL_OBSERVATIONS} observations; someone "
        "already waiting draws from the longer stays only.",
        "Whether someone advances does not depend on how long they have waited.",
        f"New applicants arrive as a Poisson process per source at the rate of the last "
        f"{ARRIVAL_WINDOW_DAYS} days (Gamma posterior, the role's rate per opening as a prior "
        f"worth {pooling.ARRIVAL_PRIOR_DAYS:g} days); they enter as sourced.",
        "The rates stay as they are for the whole horizon; nobody is hired elsewhere first.",
    ]
    if opening.target_fill_date is None:
        out.append("No target date: only the distribution of fill dates is given.")
    elif opening.target_fill_date < today:
        out.append("The target date has passed: the chance of filling by it is 0.")
    if falls_back:
        out.append(
            "This opening has no history of its own yet: its rates are the role's and "
            "everything's, pooled."
        )
    return out


def forecast_payload(forecast: Forecast) -> dict[str, Any]:
    """The forecast as plain JSON-ready data (the API and the page render the same)."""
    opening = forecast.opening
    payload: dict[str, Any] = {
        "opening": opening.pk,
        "title": opening.title,
        "status": opening.status,
        "headcount": opening.headcount,
        "hires": forecast.hires,
        "opened_on": opening.opened_on,
        "target_fill_date": opening.target_fill_date,
        "closed_on": opening.closed_on,
        "kind": forecast.kind,
        "today": forecast.today,
        "pipeline": [{"stage": s, "count": n} for s, n in forecast.pipeline.items()],
        "outcome": dataclasses.asdict(forecast.outcome) if forecast.outcome else None,
        "forecast": None,
        "assumptions": forecast.assumptions,
    }
    if forecast.kind == "forecast":
        payload["forecast"] = {
            "runs": forecast.runs,
            "p_filled_by_target": forecast.p_filled_by_target,
            "fill_date_p10": forecast.fill_dates["p10"],
            "fill_date_p50": forecast.fill_dates["p50"],
            "fill_date_p80": forecast.fill_dates["p80"],
            "fill_date_p90": forecast.fill_dates["p90"],
            "extra_sourced_for_80_percent": forecast.extra_sourced_for_target,
            "horizon_end": forecast.horizon_end,
            "beyond_horizon": forecast.beyond_horizon,
            "weekly": [{"week_start": d, "probability": p} for d, p in forecast.weekly],
            "falls_back_to_pooled": forecast.falls_back,
            "stages": [dataclasses.asdict(s) for s in forecast.stages],
            "arrivals": [
                {
                    "source": a.source,
                    "label": SOURCE_LABELS.get(a.source, a.source),
                    "per_week": round(a.mean_per_day * 7, 3),
                }
                for a in forecast.arrivals
            ],
            "arrival_basis": forecast.arrival_basis,
        }
    return payload
