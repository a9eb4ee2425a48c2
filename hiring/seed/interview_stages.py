"""The interview stages a role profile's ``interview_loop`` is built from, in the order a loop
usually runs them. From the lecture notes: validate the hypothesised strengths while testing a
minimum bar on the weaker aspects; pair debugging, take-homes, math puzzles, applied ML design,
past-project deep dives and theory questions."""

from __future__ import annotations

from typing import Final, TypedDict


class InterviewStageRow(TypedDict):
    slug: str
    name: str
    checks: str


INTERVIEW_STAGES: Final[list[InterviewStageRow]] = [
    {
        "slug": "screen",
        "name": "Screen",
        "checks": "Background, motivation and role fit; confirms the hypotheses to validate.",
    },
    {
        "slug": "take-home-review",
        "name": "Take-home review",
        "checks": "A small ML project done at home, reviewed together: code, evaluation, choices.",
    },
    {
        "slug": "pair-debugging",
        "name": "Pair debugging",
        "checks": "Finding and fixing bugs in ML code together: the baseline for code quality.",
    },
    {
        "slug": "applied-ml-design",
        "name": "Applied ML design",
        "checks": "Designing an ML approach (data, model, evaluation, serving) for a problem.",
    },
    {
        "slug": "math",
        "name": "Math",
        "checks": "Linear algebra, probability and statistics puzzles, reasoned out loud.",
    },
    {
        "slug": "past-project-deep-dive",
        "name": "Past-project deep dive",
        "checks": "One project the candidate owned, probed in depth: decisions, failures, impact.",
    },
    {
        "slug": "theory",
        "name": "Theory",
        "checks": "ML theory such as the bias-variance trade-off, optimisation, generalisation.",
    },
    {
        "slug": "communication-culture",
        "name": "Communication and culture",
        "checks": "Explaining work to non-specialists, collaboration between research and "
        "engineering, handling uncertainty.",
    },
]

INTERVIEW_STAGE_SLUGS: Final[tuple[str, ...]] = tuple(row["slug"] for row in INTERVIEW_STAGES)
