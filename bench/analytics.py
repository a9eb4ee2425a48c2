"""Analytics over a generated history (``analytics.demo``): at least 100k applications with their
stage histories and 20k scorecards in PostgreSQL.

Reports the queries and time of the funnel and the dashboard (a recruiter's, every opening), and
the time of one opening's forecast (10,000 runs), with the pooled role and global rates cached
(every call within ``POOLED_CACHE_SECONDS`` of another) and cold (the first call after that)."""

from __future__ import annotations

import statistics
import time
from typing import Any

APPLICATIONS = 100_000
SCORECARDS = 20_000
REPEATS = 15


def seed() -> None:
    """Generate batches of demo openings until the counts are reached; later runs reuse them."""
    from analytics import demo
    from hiring.models import Application
    from interviews.models import Scorecard

    def counts() -> tuple[int, int]:
        demo_apps = Application.objects.filter(opening__title__startswith=demo.DEMO_PREFIX)
        return demo_apps.count(), Scorecard.objects.count()

    applications, scorecards = counts()
    batch = 0
    while applications < APPLICATIONS:
        print(f"  generating: {applications:,} applications, {scorecards:,} scorecards", flush=True)
        written = demo.generate(
            openings=40,
            applicants_per_opening=900,
            seed=1000 + batch + applications,
            with_interviews=scorecards < SCORECARDS,
        )
        applications += written.applications
        scorecards += written.scorecards
        batch += 1


def _timed(call: Any) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        call()
        elapsed = time.perf_counter() - start
    return elapsed * 1000, len(queries)


def run() -> dict[str, Any]:
    seed()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db.models import Count

    from analytics import selectors
    from analytics.forecast.selectors import opening_forecast, pooled
    from hiring.models import Application, Opening, StageChange
    from interviews.models import Scorecard

    user = get_user_model().objects.filter(is_superuser=True).first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench-admin", "b@example.org", None)
    opening = (
        Opening.objects.filter(status=Opening.Status.OPEN)
        .annotate(n=Count("applications"))
        .order_by("-n")
        .first()
    )
    assert opening is not None

    funnel = [_timed(lambda: selectors.funnel(user=user, filters=selectors.FunnelFilters()))]
    funnel += [
        _timed(lambda: selectors.funnel(user=user, filters=selectors.FunnelFilters()))
        for _ in range(4)
    ]
    cache.clear()
    cold_pooled_ms, pooled_queries = _timed(lambda: pooled(fresh=True))
    cache.clear()
    cold_forecast_ms, cold_queries = _timed(lambda: opening_forecast(opening=opening))
    warm = [_timed(lambda: opening_forecast(opening=opening)) for _ in range(REPEATS)]
    dashboard = [_timed(lambda: selectors.dashboard(user=user)) for _ in range(3)]
    calibration_ms, calibration_queries = _timed(selectors.calibration)
    open_openings = Opening.objects.filter(status=Opening.Status.OPEN).count()
    return {
        "applications": f"{Application.objects.count():,}",
        "stage changes": f"{StageChange.objects.count():,}",
        "scorecards": f"{Scorecard.objects.count():,}",
        f"open openings (the dashboard shows {selectors.DASHBOARD_OPENINGS})": open_openings,
        "funnel: queries": funnel[0][1],
        "funnel: median ms": round(statistics.median(t for t, _ in funnel)),
        "dashboard (pooled rates cached): queries": dashboard[-1][1],
        "dashboard (pooled rates cached): median ms": round(
            statistics.median(t for t, _ in dashboard)
        ),
        "forecast of one opening, pooled rates cached: median ms (goal < 200)": round(
            statistics.median(t for t, _ in warm)
        ),
        "forecast of one opening, pooled rates cached: queries": warm[-1][1],
        "forecast of one opening, cold (reads the pooled rates): ms": round(cold_forecast_ms),
        "forecast cold: queries": cold_queries,
        "pooled role and global rates alone: ms": round(cold_pooled_ms),
        "pooled rates: queries": pooled_queries,
        "calibration (all roles): ms": round(calibration_ms),
        "calibration: queries": calibration_queries,
        "forecast opening's applications": opening.n,
    }
