"""Interview modules: kits per role and stage, interviews, scorecards, take-homes and pair
debugging. One module per area; workflows live in ``interviews/services/``, reads in
``interviews/selectors.py`` and ``interviews/verdict.py``."""

from interviews.models.debugging import (
    BugCategory,
    BugFinding,
    DebuggingSession,
    DebuggingTask,
    SeededBug,
)
from interviews.models.kits import Interview, InterviewKit, InterviewStage, KitQuestion
from interviews.models.scorecards import (
    Recommendation,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
)
from interviews.models.takehomes import (
    TakeHomeAssignment,
    TakeHomeCriterion,
    TakeHomeCriterionScore,
    TakeHomeGrade,
    TakeHomeTemplate,
)
from interviews.models.verdicts import ApplicationVerdict

__all__ = [
    "ApplicationVerdict",
    "BugCategory",
    "BugFinding",
    "DebuggingSession",
    "DebuggingTask",
    "Interview",
    "InterviewKit",
    "InterviewStage",
    "KitQuestion",
    "Recommendation",
    "Scorecard",
    "ScorecardAmendment",
    "ScorecardRating",
    "SeededBug",
    "TakeHomeAssignment",
    "TakeHomeCriterion",
    "TakeHomeCriterionScore",
    "TakeHomeGrade",
    "TakeHomeTemplate",
]
