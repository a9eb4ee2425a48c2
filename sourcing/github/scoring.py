"""The engineering score of one implementation, 0-100, as a breakdown a recruiter can read.

What it rewards is what an ML engineer role needs: getting a paper to run (reproduced results
weigh most), code other people use (stars, forks, log-scaled so one viral repository does not
drown everything), kept alive (recent pushes), in a language teams ship ML in."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# Points for the last push: within 180 days, a year, two years; older earns none.
RECENCY_POINTS = ((180, 15.0), (365, 10.0), (730, 5.0))

ENGINEERING_LANGUAGES = frozenset(
    {"Python", "C++", "CUDA", "Rust", "Go", "Julia", "Jupyter Notebook", "Scala", "Java", "C"}
)


@dataclass(frozen=True)
class ScoreInput:
    stars: int
    forks: int
    pushed_at: datetime | None
    language: str
    reports_results: bool
    is_fork: bool
    followers: int


def _line(factor: str, detail: str, points: float) -> dict[str, Any]:
    return {"factor": factor, "detail": detail, "points": round(points, 1)}


def _recency_points(pushed_at: datetime | None, now: datetime) -> tuple[str, float]:
    if pushed_at is None:
        return "last push unknown", 0.0
    days = max(0, (now - pushed_at).days)
    points = next((p for within, p in RECENCY_POINTS if days <= within), 0.0)
    return f"pushed {days} days ago", points


def engineering_score(data: ScoreInput, *, now: datetime) -> tuple[float, list[dict[str, Any]]]:
    """``(score, breakdown)``; the score is the sum of the breakdown's points, capped at 100."""
    recency_detail, recency = _recency_points(data.pushed_at, now)
    lines = [
        _line(
            "reproduced results",
            "README reports results" if data.reports_results else "no results in README",
            30.0 if data.reports_results else 0.0,
        ),
        _line("stars", f"{data.stars} stars", min(25.0, 8.0 * math.log10(1 + data.stars))),
        _line("forks", f"{data.forks} forks", min(10.0, 5.0 * math.log10(1 + data.forks))),
        _line("recency", recency_detail, recency),
        _line(
            "language",
            data.language or "unknown",
            10.0 if data.language in ENGINEERING_LANGUAGES else 0.0,
        ),
        _line(
            "followers",
            f"{data.followers} followers",
            min(10.0, 4.0 * math.log10(1 + data.followers)),
        ),
    ]
    if data.is_fork:
        # A fork's stars and pushes are mostly the original's work.
        lines.append(_line("fork", "repository is a fork", -20.0))
    total = sum(float(line["points"]) for line in lines)
    return round(max(0.0, min(100.0, total)), 1), lines
