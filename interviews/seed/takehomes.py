"""Take-home templates for the profiles whose loop has a take-home review."""

from __future__ import annotations

from typing import Final, TypedDict


class CriterionRow(TypedDict):
    title: str
    competency: str
    guidance: str


class TakeHomeRow(TypedDict):
    title: str
    role_profile: str
    brief: str
    starter_material: str
    time_budget_minutes: int
    criteria: list[CriterionRow]


TAKEHOMES: Final[list[TakeHomeRow]] = [
    {
        "title": "Churn prediction, end to end",
        "role_profile": "ml-engineer",
        "brief": (
            "You get three months of anonymised subscription events. Build a model that "
            "predicts which subscribers cancel in the next 30 days, evaluate it honestly, and "
            "package it so that a teammate can retrain it with one command. Write a one-page "
            "README: your approach, your evaluation, what you would do with another week. "
            "Stay within the time budget; we grade choices, not polish. For a blind review, "
            "please keep your name out of the files (an upload is easiest)."
        ),
        "starter_material": (
            "events.csv (user_id, timestamp, event, plan) and labels.csv (user_id, cancelled). "
            "Python 3.11; any open-source libraries."
        ),
        "time_budget_minutes": 240,
        "criteria": [
            {
                "title": "Evaluation without leakage",
                "competency": "ml-knowledge",
                "guidance": "1: random split over events or evaluation on training data. 2: a "
                "held-out set by user. 3: a split by time matching how it would be used, a "
                "baseline, a metric fitting the imbalance. 4: also error analysis by segment and "
                "uncertainty on the comparison.",
            },
            {
                "title": "Code quality and reproducibility",
                "competency": "software-engineering",
                "guidance": "1: a notebook that only runs top to bottom once. 2: functions, a "
                "README, pinned dependencies. 3: one-command retraining, tests on transforms, "
                "configuration separate from code. 4: code a team could extend tomorrow.",
            },
            {
                "title": "Feature pipeline",
                "competency": "data-engineering",
                "guidance": "1: features computed with future data. 2: correct point-in-time "
                "features for a single snapshot. 3: a pipeline that recomputes features for any "
                "cut-off date, with checks. 4: also validation of inputs and notes on scaling.",
            },
            {
                "title": "Shipping it",
                "competency": "production-mlops",
                "guidance": "1: not considered. 2: the model is saved and loadable. 3: a "
                "prediction entry point, versioned artefacts, a note on monitoring. 4: a clear "
                "serving and monitoring plan with retraining triggers.",
            },
        ],
    },
    {
        "title": "Pricing experiment readout",
        "role_profile": "data-scientist",
        "brief": (
            "An online shop ran a two-week pricing experiment. Using the SQL database "
            "provided, decide whether the new price should ship, and write the readout for the "
            "head of product (one page plus your queries). Stay within the time budget. For a "
            "blind review, please keep your name out of the files (an upload is easiest)."
        ),
        "starter_material": (
            "shop.sqlite: orders, sessions, assignments (user_id, variant, assigned_at)."
        ),
        "time_budget_minutes": 180,
        "criteria": [
            {
                "title": "Queries are correct",
                "competency": "analytics-sql",
                "guidance": "1: joins duplicate rows or drop users. 2: correct counts per "
                "variant. 3: correct per-user metrics, checks for sample-ratio mismatch. 4: "
                "clean, documented queries that reconcile with independent totals.",
            },
            {
                "title": "Statistics are sound",
                "competency": "math-statistics",
                "guidance": "1: compares raw means. 2: a significance test. 3: the right unit "
                "of analysis, confidence intervals, power. 4: also novelty effects, multiple "
                "metrics and a clear decision rule.",
            },
            {
                "title": "The readout answers the question",
                "competency": "communication",
                "guidance": "1: numbers without a recommendation. 2: a recommendation buried "
                "in method. 3: answer first, with confidence and caveats. 4: frames the "
                "decision, its risks and what would change it.",
            },
            {
                "title": "Business judgement",
                "competency": "product-sense",
                "guidance": "1: only conversion considered. 2: revenue considered. 3: revenue, "
                "margin and customer effects weighed. 4: long-term effects and next experiment "
                "proposed.",
            },
        ],
    },
]
