"""Interview kits for the five role profiles, one per stage of each profile's ``interview_loop``.

From the lecture notes: validate the hypotheses of the candidate's strengths while testing a
minimum bar on the weaker aspects. So each kit's focus competencies are chosen to cover, across
the loop, every competency whose bar is above 1, and the role's strengths more than once."""

from __future__ import annotations

from typing import Final, TypedDict


class StageRow(TypedDict):
    title: str
    duration_minutes: int
    instructions: str


STAGES: Final[dict[str, StageRow]] = {
    "screen": {
        "title": "Screen",
        "duration_minutes": 30,
        "instructions": (
            "1. Introduce yourself and the role in two minutes; say what the loop looks like.\n"
            "2. Ask the candidate to walk through the work that best shows why they fit this "
            "role; let them talk, then pick one thread and go one level deeper.\n"
            "3. Use the questions below; you will not get through all of them.\n"
            "4. Write down the hypotheses of their strengths the loop should validate, and any "
            "weaker area that needs a minimum-bar check later.\n"
            "5. Leave five minutes for their questions. Sell the team honestly: interesting data, "
            "room to learn, real impact."
        ),
    },
    "take-home-review": {
        "title": "Take-home review",
        "duration_minutes": 60,
        "instructions": (
            "Read the graded take-home (the grades are blind; the review is not) before the call.\n"
            "1. Ask the candidate to present their approach in five minutes, without slides.\n"
            "2. Walk through the code together: ask why, not what. Probe one decision they made "
            "and one they skipped because of the time budget.\n"
            "3. Change one requirement (more data, a new class, a latency budget) and ask what "
            "they would change.\n"
            "4. Rate what you saw in this conversation; the graders' rubric scores are separate "
            "evidence."
        ),
    },
    "pair-debugging": {
        "title": "Pair debugging",
        "duration_minutes": 45,
        "instructions": (
            "Pick a task from the pair-debugging library that the candidate has not seen and "
            "start a session for it (the session records bugs found, when, and hints used).\n"
            "1. Share the buggy program and its description; let the candidate run it.\n"
            "2. Pair: they drive, you answer questions as a colleague would. Do not hint in the "
            "first ten minutes.\n"
            "3. Give hints in the listed order only when they are stuck for several minutes, and "
            "record each hint in the session.\n"
            "4. When a bug is found, ask them to explain why it produced the symptom and to fix "
            "it; mark it found.\n"
            "This is the minimum bar for code quality every ML hire meets."
        ),
    },
    "applied-ml-design": {
        "title": "Applied ML design",
        "duration_minutes": 60,
        "instructions": (
            "Present a realistic product problem (for example: flag fraudulent transactions, "
            "rank support tickets, forecast demand). Ask the candidate to design the ML system.\n"
            "1. Problem framing: what is predicted, for whom, and how success is measured.\n"
            "2. Data: sources, labels, leakage risks, feedback loops from users.\n"
            "3. Model: a baseline first, then what would justify something more complex.\n"
            "4. Evaluation offline and online; what happens when the model is wrong (fallbacks, "
            "confidence thresholds, human review).\n"
            "5. Serving and monitoring as far as the role requires.\n"
            "Let them lead; interrupt only to add a constraint."
        ),
    },
    "math": {
        "title": "Math",
        "duration_minutes": 45,
        "instructions": (
            "Two or three short problems in linear algebra, probability and statistics, solved "
            "out loud on a shared page. Rate the reasoning, not recall: a candidate who sets the "
            "problem up correctly and checks the answer's sanity beats one who recites a formula."
        ),
    },
    "past-project-deep-dive": {
        "title": "Past-project deep dive",
        "duration_minutes": 60,
        "instructions": (
            "Ask the candidate to choose one project they owned end to end.\n"
            "1. Context in five minutes: the problem, the team, their part.\n"
            "2. Go deep on decisions: alternatives considered, why this one, what the evidence "
            "was. Ask for numbers.\n"
            "3. Ask about a failure or dead end and what they learned.\n"
            "4. Ask what happened after: was it used, what was the impact, what would they redo.\n"
            "Separate what the candidate did from what the team did."
        ),
    },
    "theory": {
        "title": "Theory",
        "duration_minutes": 45,
        "instructions": (
            "Questions on ML theory (generalisation, optimisation, the bias-variance trade-off). "
            "Start each at textbook level and go deeper until the candidate reaches the edge of "
            "what they know; the edge is what you rate."
        ),
    },
    "communication-culture": {
        "title": "Communication and culture",
        "duration_minutes": 45,
        "instructions": (
            "1. Ask the candidate to explain a technical result of theirs to you as if you were "
            "a product lead with no ML background.\n"
            "2. Ask about working across research and engineering, and about a disagreement.\n"
            "3. Ask how they communicate uncertainty: a project that stalled, a timeline that "
            "slipped.\n"
            "Rate behaviour they describe with specifics; a general statement is not evidence."
        ),
    },
}

# Focus competencies of each kit, by role profile and stage (the stages of the profile's loop).
FOCUS: Final[dict[str, dict[str, list[str]]]] = {
    "ml-engineer": {
        "screen": ["communication", "ml-knowledge", "product-sense"],
        "take-home-review": ["software-engineering", "ml-knowledge", "data-engineering"],
        "pair-debugging": ["software-engineering", "ml-knowledge"],
        "applied-ml-design": [
            "ml-knowledge",
            "production-mlops",
            "data-engineering",
            "product-sense",
        ],
        "past-project-deep-dive": [
            "production-mlops",
            "research-creativity",
            "math-statistics",
            "communication",
        ],
        "communication-culture": ["communication", "product-sense"],
    },
    "ml-researcher": {
        "screen": ["communication", "research-creativity"],
        "past-project-deep-dive": ["research-creativity", "ml-knowledge", "communication"],
        "theory": ["ml-knowledge", "math-statistics"],
        "math": ["math-statistics"],
        "pair-debugging": ["software-engineering", "ml-knowledge"],
        "communication-culture": ["communication"],
    },
    "mlops-engineer": {
        "screen": ["communication", "production-mlops"],
        "pair-debugging": ["software-engineering", "ml-knowledge"],
        "applied-ml-design": ["production-mlops", "data-engineering", "software-engineering"],
        "past-project-deep-dive": ["production-mlops", "software-engineering", "communication"],
        "communication-culture": ["communication"],
    },
    "ml-product-manager": {
        "screen": ["communication", "product-sense"],
        "applied-ml-design": ["product-sense", "ml-knowledge", "math-statistics"],
        "past-project-deep-dive": ["product-sense", "analytics-sql", "communication"],
        "communication-culture": ["communication", "product-sense"],
    },
    "data-scientist": {
        "screen": ["communication", "analytics-sql", "product-sense"],
        "take-home-review": [
            "analytics-sql",
            "software-engineering",
            "data-engineering",
            "communication",
        ],
        "math": ["math-statistics"],
        "applied-ml-design": ["ml-knowledge", "product-sense", "math-statistics"],
        "communication-culture": ["communication"],
    },
}
