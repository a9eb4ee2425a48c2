"""The nine competencies every ML role is judged on, each with a 1-4 rubric an interviewer can
check against what the candidate actually said, wrote or did in the interview.

Keys match ``hiring.models.Competency`` fields, so a loader can pass each row straight to the ORM.
The slugs are fixed vocabulary shared with the API, sourcing and interviews."""

from __future__ import annotations

from typing import Final, TypedDict


class CompetencyRow(TypedDict):
    slug: str
    name: str
    description: str
    level_1: str
    level_2: str
    level_3: str
    level_4: str
    display_order: int


COMPETENCIES: Final[list[CompetencyRow]] = [
    {
        "slug": "ml-knowledge",
        "name": "ML knowledge",
        "description": (
            "Understands how models learn and fail: choosing a model family for a problem, "
            "setting up training and evaluation correctly, diagnosing under- and over-fitting, "
            "and knowing where the literature is on the problem at hand."
        ),
        "level_1": (
            "Knows the vocabulary (train/test split, overfitting, gradient descent) from a course "
            "but cannot say why a validation score is much better than the test score, or which "
            "metric fits an imbalanced problem."
        ),
        "level_2": (
            "Trains and evaluates standard models (gradient-boosted trees, a fine-tuned "
            "pretrained network) end to end; sets up a held-out split without leakage; reads a "
            "learning curve and says whether more data or more capacity would help."
        ),
        "level_3": (
            "Diagnoses a model that fails in a non-obvious way (label noise, distribution shift, "
            "a leaking feature) from evidence such as per-slice metrics and error analysis; "
            "explains the bias-variance trade-off on the candidate's own project; compares two "
            "recent methods for the problem and picks one with reasons."
        ),
        "level_4": (
            "Reasons from first principles about why a method works and when it will not; has "
            "adapted or combined methods to a new setting and can show the ablations that "
            "justified it; others on past teams came to them to debug training runs."
        ),
        "display_order": 1,
    },
    {
        "slug": "software-engineering",
        "name": "Software engineering",
        "description": (
            "Writes code other people can read, test, review and run: structure, tests, version "
            "control, debugging, and the judgement to keep ML code from becoming the "
            '"high-interest credit card of technical debt".'
        ),
        "level_1": (
            "Code works in a notebook run top to bottom once; no functions or tests; cannot find "
            "a bug without adding print statements everywhere."
        ),
        "level_2": (
            "Writes readable functions and modules with a few unit tests; uses git branches and "
            "code review; finds a shape or off-by-one bug in unfamiliar ML code during pair "
            "debugging within the time box. The baseline for code quality every ML hire meets."
        ),
        "level_3": (
            "Designs a training or serving codebase others extend: clear interfaces, "
            "configuration instead of copy-paste, tests on data transforms and model outputs, "
            "reproducible runs; refactors technical debt without breaking results."
        ),
        "level_4": (
            "Sets the engineering standards of a team (review practice, testing of ML code, "
            "packaging); has shipped and maintained a production system for years; spots design "
            "problems in a take-home at a glance and explains the cheaper alternative."
        ),
        "display_order": 2,
    },
    {
        "slug": "research-creativity",
        "name": "Research creativity",
        "description": (
            "Thinks creatively about new ML problems: frames open questions, proposes original "
            "approaches, designs experiments that separate hypotheses, and has the research "
            "judgement to drop an idea when the evidence says so."
        ),
        "level_1": (
            "Applies the first method found in a tutorial; when it does not work, has no next "
            "idea beyond tuning hyperparameters."
        ),
        "level_2": (
            "Proposes two or three plausible approaches to a new problem and a simple experiment "
            "to choose between them; re-implements a paper and reproduces its headline number."
        ),
        "level_3": (
            "Frames a vague business or research question as testable hypotheses with success "
            "criteria and a time box; runs a portfolio of approaches; has first-author work or "
            "a strong re-implementation whose idea, not only execution, was theirs."
        ),
        "level_4": (
            "Original ideas others build on: publications valued for originality and execution "
            "(quality over quantity) on important rather than trendy problems; can explain a "
            "negative result and what it ruled out; chooses when deep research beats an "
            "established tool."
        ),
        "display_order": 3,
    },
    {
        "slug": "production-mlops",
        "name": "Production ML and MLOps",
        "description": (
            "Gets models into production and keeps them healthy: packaging, serving, training "
            "pipelines, monitoring for drift and quality, rollbacks, and the infrastructure "
            "that makes the next model cheaper to ship."
        ),
        "level_1": (
            "Has handed a model file to someone else to deploy; does not know how it is served "
            "or how anyone would notice it getting worse."
        ),
        "level_2": (
            "Has containerised a model (Docker) behind an API and scheduled retraining; knows "
            "that data drift happens and names metrics that would reveal it."
        ),
        "level_3": (
            "Has owned a model in production: automated training pipeline, staged rollout or "
            "A/B test, monitoring of prediction quality and feature distributions with alerts, "
            "a rollback plan that was actually used; can size latency and cost."
        ),
        "level_4": (
            "Has built the platform other teams deploy through (feature store, model registry, "
            "serving, monitoring) on AWS/GCP/Kubernetes/Kafka; cut time from experiment to "
            "production for many models; designs for failure and reproducibility by default."
        ),
        "display_order": 4,
    },
    {
        "slug": "data-engineering",
        "name": "Data engineering",
        "description": (
            "Builds and maintains the data the models depend on: pipelines, storage, labelling "
            "flows, data quality checks and lineage."
        ),
        "level_1": (
            "Works from CSV exports someone else produced; cannot say where the data came from "
            "or how fresh it is."
        ),
        "level_2": (
            "Writes a batch job that extracts, cleans and joins sources into a training set; "
            "adds basic checks (row counts, nulls, schema) and reruns it reproducibly."
        ),
        "level_3": (
            "Designs pipelines for training and serving that agree with each other (no "
            "training/serving skew); versions datasets; sets up a labelling and relabelling flow "
            "with quality control; handles late and duplicate data."
        ),
        "level_4": (
            "Owns company-scale data infrastructure (warehouse, streaming, orchestration); has a "
            "voice in data governance; made data a flywheel where production feedback becomes "
            "labelled training data."
        ),
        "display_order": 5,
    },
    {
        "slug": "math-statistics",
        "name": "Math and statistics",
        "description": (
            "The linear algebra, probability, optimisation and statistics behind models and "
            "experiments, used to reason rather than recited."
        ),
        "level_1": (
            "Can compute a mean and a standard deviation; unsure what a p-value or a matrix rank "
            "means."
        ),
        "level_2": (
            "Solves a short linear-algebra or probability puzzle with hints; explains a "
            "confidence interval and why a test set estimate has variance; derives the gradient "
            "of a simple loss."
        ),
        "level_3": (
            "Solves the math round unaided and explains the steps; designs an experiment with "
            "enough power; knows when a metric difference between two models is noise; reasons "
            "about conditioning and numerical stability."
        ),
        "level_4": (
            "Derives new estimators or bounds; spots a statistical flaw in a published result; "
            "teaches others the theory (for example causal inference, Bayesian methods or "
            "optimisation) and applies it to a messy real problem."
        ),
        "display_order": 6,
    },
    {
        "slug": "communication",
        "name": "Communication and technical writing",
        "description": (
            "Explains uncertain ML work to engineers, researchers and leadership: writes clear "
            "reports and design docs, states risk honestly, and translates model metrics into "
            "product impact."
        ),
        "level_1": (
            'Describes work only in model jargon ("F1 went up 0.2"); reports are hard to '
            "follow; promises dates the evidence does not support."
        ),
        "level_2": (
            "Writes an understandable experiment report with setup, results and caveats; "
            "answers questions from a non-ML interviewer without condescension."
        ),
        "level_3": (
            "Adapts the message to the audience: a design doc engineers act on, an update that "
            "leadership trusts (impact, risk, what is still being validated); bridges the "
            "research/engineering culture gap in a team."
        ),
        "level_4": (
            "Educates the organisation about ML (talks, primers, guidelines); writing sets the "
            "standard on the team; sets realistic expectations with sceptical and over-"
            "enthusiastic stakeholders alike, including saying when ML is not needed."
        ),
        "display_order": 7,
    },
    {
        "slug": "product-sense",
        "name": "Product sense",
        "description": (
            "Connects ML work to users and the business: picks problems worth solving, designs "
            "for model failure, bridges user expectations and what the model can do, and builds "
            "feedback loops."
        ),
        "level_1": (
            "Treats the model metric as the goal; cannot say who uses the prediction or what "
            "happens when it is wrong."
        ),
        "level_2": (
            "Names the user and the business metric a model moves; suggests a fallback for "
            "low-confidence predictions."
        ),
        "level_3": (
            "Designs the product around the model's limits: guardrails, confidence thresholds, "
            "users correcting outputs, implicit and explicit feedback collected as labels; "
            "prioritises projects by value and probability of success."
        ),
        "level_4": (
            "Has defined an ML product from scratch and measured its impact; decides when a "
            "heuristic beats a model; aligns several teams on a roadmap under uncertainty."
        ),
        "display_order": 8,
    },
    {
        "slug": "analytics-sql",
        "name": "Analytics and SQL",
        "description": (
            "Answers business questions from data: SQL, exploratory analysis, metrics and "
            "dashboards, A/B test analysis."
        ),
        "level_1": (
            "Writes a single-table SELECT with a WHERE clause; relies on others for numbers."
        ),
        "level_2": (
            "Joins and aggregates across several tables correctly (no double counting); builds a "
            "dashboard that answers the question asked; uses pandas for exploration."
        ),
        "level_3": (
            "Uses window functions and CTEs fluently; defines metrics that resist gaming; "
            "analyses an A/B test including guardrail metrics and novelty effects; finds the "
            "data-quality problem behind a surprising number."
        ),
        "level_4": (
            "Owns a company's metric definitions; turns an ambiguous question from leadership "
            "into an analysis that changed a decision; mentors others on causal pitfalls in "
            "observational data."
        ),
        "display_order": 9,
    },
]

COMPETENCY_SLUGS: Final[tuple[str, ...]] = tuple(row["slug"] for row in COMPETENCIES)
