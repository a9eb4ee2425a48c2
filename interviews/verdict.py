"""The verdict of an application against the bars it was opened with.

How evidence combines (also in docs/interviews.md):

- every *submitted* scorecard that rates a competency (after amendments) is one piece of evidence
  at its rating; "no evidence" answers and drafts count for nothing;
- every take-home assignment with at least one submitted grade is one piece of evidence per
  competency its criteria map to, at the low median of all submitted criterion scores for it
  (several graders, several criteria);
- every *finished* pair-debugging session is one piece of evidence for each competency of its
  task: each seeded bug scores 4 when found without hints, one less per hint used but never below
  2 once found, and 1 when not found; the session level is the low median of its bug scores;
- the level a competency's evidence supports is the low median of its pieces of evidence. The
  median keeps one outlier interviewer from deciding alone; the *low* median makes a tie between
  two levels count as the lower one, so the bar is never met on a coin flip.

A bar of 1 with no strength hypothesis is the bottom of the scale: every rating meets it, so it
needs no evidence ("not_tested" rather than missing); every other bar without evidence is
"missing" and keeps the verdict at "not enough evidence".

Bars come from ``application.bar_version`` (frozen when the application opened), never from the
profile's current bars. A competency is met when its level >= ``minimum_level``; a strength
hypothesis is confirmed when its level >= ``strength_level``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median_low
from typing import Literal

from django.db.models import Prefetch

from hiring.models import Application
from interviews.models import (
    BugFinding,
    DebuggingSession,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
    TakeHomeCriterionScore,
    TakeHomeGrade,
)
from interviews.selectors import scorecard_effective

EvidenceKind = Literal["scorecard", "take_home", "pair_debugging"]
Outcome = Literal["meets_every_bar", "below_bar", "not_enough_evidence"]


@dataclass(frozen=True)
class Evidence:
    kind: EvidenceKind
    source_id: int
    level: int
    label: str


KIND_NAMES = {
    "scorecard": ("scorecard", "scorecards"),
    "take_home": ("take-home", "take-homes"),
    "pair_debugging": ("pair-debugging session", "pair-debugging sessions"),
}

STATUS_LABELS = {
    "met": "Meets the bar",
    "below": "Below the bar",
    "missing": "No evidence yet",
    "not_tested": "Not needed (bar of 1)",
}


@dataclass(frozen=True)
class CompetencyVerdict:
    competency: str
    name: str
    minimum_level: int
    strength_level: int | None
    level: int | None
    evidence: list[Evidence]

    @property
    def has_evidence(self) -> bool:
        return self.level is not None

    @property
    def met(self) -> bool | None:
        return None if self.level is None else self.level >= self.minimum_level

    @property
    def needs_evidence(self) -> bool:
        return self.minimum_level > 1 or self.strength_level is not None

    @property
    def status(self) -> Literal["met", "below", "missing", "not_tested"]:
        if self.level is None:
            return "missing" if self.needs_evidence else "not_tested"
        return "met" if self.level >= self.minimum_level else "below"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def source_count(self) -> int:
        """Independent sources: one scorecard, one take-home or one debugging session each."""
        return len({(e.kind, e.source_id) for e in self.evidence})

    @property
    def sources_label(self) -> str:
        """ "2 scorecards, 1 pair-debugging session" """
        counts: dict[str, int] = defaultdict(int)
        for kind, _ in {(e.kind, e.source_id) for e in self.evidence}:
            counts[kind] += 1
        return ", ".join(
            f"{n} {KIND_NAMES[kind][0] if n == 1 else KIND_NAMES[kind][1]}"
            for kind, n in sorted(counts.items(), key=lambda item: list(KIND_NAMES).index(item[0]))
        )

    @property
    def strength_confirmed(self) -> bool | None:
        if self.strength_level is None or self.level is None:
            return None
        return self.level >= self.strength_level


@dataclass(frozen=True)
class Verdict:
    application_id: int
    bar_version: int
    competencies: list[CompetencyVerdict]
    below: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    strengths_confirmed: list[str] = field(default_factory=list)
    strengths_not_confirmed: list[str] = field(default_factory=list)

    def _named(self, slugs: list[str]) -> list[str]:
        names = {c.competency: c.name for c in self.competencies}
        return [names[slug] for slug in slugs]

    @property
    def confirmed_strengths(self) -> list[CompetencyVerdict]:
        """The confirmed strengths with their evidence, to say how many independent sources
        back each (one source alone is a lead, not a confirmation to lean on)."""
        return [c for c in self.competencies if c.competency in self.strengths_confirmed]

    @property
    def strengths_confirmed_names(self) -> list[str]:
        return self._named(self.strengths_confirmed)

    @property
    def strengths_not_confirmed_names(self) -> list[str]:
        return self._named(self.strengths_not_confirmed)

    @property
    def outcome(self) -> Outcome:
        if self.below:
            return "below_bar"
        if self.missing:
            return "not_enough_evidence"
        return "meets_every_bar"

    @property
    def summary(self) -> str:
        names = {c.competency: c.name for c in self.competencies}
        parts = []
        if self.below:
            parts.append("Below the bar on " + ", ".join(names[s] for s in self.below))
        if self.missing:
            parts.append("not enough evidence on " + ", ".join(names[s] for s in self.missing))
        if not parts:
            return "Meets every bar."
        text = "; ".join(parts) + "."
        return text[0].upper() + text[1:]


def _bug_level(finding: BugFinding) -> int:
    if finding.found_at is None:
        return 1
    return max(4 - finding.hints_used, 2)


def _scorecard_evidence(application: Application) -> list[tuple[str, Evidence]]:
    scorecards = (
        Scorecard.objects.filter(
            interview__application=application, status=Scorecard.Status.SUBMITTED
        )
        .select_related("interviewer", "interview__kit")
        .prefetch_related(
            Prefetch("ratings", queryset=ScorecardRating.objects.select_related("competency")),
            Prefetch(
                "amendments", queryset=ScorecardAmendment.objects.order_by("created_at", "id")
            ),
        )
    )
    items = []
    for scorecard in scorecards:
        label = (
            f"Scorecard by {scorecard.interviewer.get_username()} "
            f"({scorecard.interview.kit.get_stage_display()})"
        )
        for slug, (rating, _) in scorecard_effective(scorecard=scorecard).items():
            if rating is not None:
                items.append((slug, Evidence("scorecard", scorecard.pk, rating, label)))
    return items


def _takehome_evidence(application: Application) -> list[tuple[str, Evidence]]:
    scores = TakeHomeCriterionScore.objects.filter(
        grade__assignment__application=application,
        grade__status=TakeHomeGrade.Status.SUBMITTED,
    ).select_related("criterion__competency", "grade__assignment")
    grouped: dict[tuple[int, str], list[int]] = defaultdict(list)
    codes: dict[int, str] = {}
    for score in scores:
        assignment = score.grade.assignment
        codes[assignment.pk] = assignment.submission_code
        grouped[(assignment.pk, score.criterion.competency.slug)].append(score.score)
    return [
        (
            slug,
            Evidence(
                "take_home", pk, median_low(values), f"Take-home {codes[pk]} ({len(values)} scores)"
            ),
        )
        for (pk, slug), values in sorted(grouped.items())
    ]


def _debugging_evidence(application: Application) -> list[tuple[str, Evidence]]:
    sessions = (
        DebuggingSession.objects.filter(application=application, ended_at__isnull=False)
        .select_related("task")
        .prefetch_related("findings", "task__competencies")
    )
    items = []
    for session in sessions:
        bug_levels = [_bug_level(f) for f in session.findings.all()]
        if not bug_levels:
            continue
        found = sum(1 for f in session.findings.all() if f.found_at is not None)
        label = f"Pair debugging: {session.task.title} ({found}/{len(bug_levels)} bugs found)"
        level = median_low(bug_levels)
        for competency in session.task.competencies.all():
            items.append((competency.slug, Evidence("pair_debugging", session.pk, level, label)))
    return items


def application_verdict(*, application: Application) -> Verdict:
    """Judge ``application`` against its own ``bar_version``. Runs a fixed number of queries
    whatever the amount of evidence. Callers check access first
    (``permissions.access_verdict_by_application_id``)."""
    by_competency: dict[str, list[Evidence]] = defaultdict(list)
    for slug, item in (
        _scorecard_evidence(application)
        + _takehome_evidence(application)
        + _debugging_evidence(application)
    ):
        by_competency[slug].append(item)

    competencies = []
    for bar in application.bar_version.bars:
        slug = bar["competency"]
        evidence = by_competency.get(slug, [])
        competencies.append(
            CompetencyVerdict(
                competency=slug,
                name=bar.get("name") or slug,
                minimum_level=int(bar["minimum_level"]),
                strength_level=bar.get("strength_level"),
                level=median_low([e.level for e in evidence]) if evidence else None,
                evidence=evidence,
            )
        )
    return Verdict(
        application_id=application.pk,
        bar_version=application.bar_version.number,
        competencies=competencies,
        below=[c.competency for c in competencies if c.status == "below"],
        missing=[c.competency for c in competencies if c.status == "missing"],
        strengths_confirmed=[c.competency for c in competencies if c.strength_confirmed],
        strengths_not_confirmed=[
            c.competency
            for c in competencies
            if c.strength_level is not None and not c.strength_confirmed
        ],
    )
