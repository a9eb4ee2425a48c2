"""Reads: papers as the sources need them, implementations with their evidence, runs, and the
ranking of re-implementers. Query shape is decided here so lists keep a constant query count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from core.requester import User
from hiring.models import Candidate, Opening
from sourcing.github.authors import Author
from sourcing.github.models import Implementation, ImplementationRun
from sourcing.github.sources import PaperRef
from sourcing.models import Authorship, Paper, Prospect

# A second, third ... re-implementation adds this much to the owner's best score (capped).
BREADTH_POINTS = 5.0
BREADTH_CAP = 15.0


def can_see_implementations(user: User) -> bool:
    """Implementations name candidates: recruiters (and admins) only."""
    return bool(user.is_authenticated and user.has_perm("sourcing_github.view_implementation"))


def paper_authors(*, paper: Paper) -> list[Author]:
    rows = Authorship.objects.filter(paper=paper).order_by("position")
    return [Author(name, person_id) for name, person_id in rows.values_list("name", "person_id")]


def paper_ref(*, paper: Paper) -> PaperRef:
    return PaperRef(
        arxiv_id=paper.arxiv_id,
        title=paper.title,
        abstract=paper.abstract,
        comment=paper.comment,
        authors=tuple(a.name for a in paper_authors(paper=paper)),
    )


def implementations_with_evidence() -> QuerySet[Implementation]:
    return Implementation.objects.select_related(
        "paper", "repository", "repository__owner", "repository__owner__candidate"
    )


def paper_implementations(*, paper: Paper) -> QuerySet[Implementation]:
    """Official code first, then re-implementations by score; deleted repositories last."""
    return (
        implementations_with_evidence()
        .filter(paper=paper)
        .order_by("repository__gone_at", "verdict", "-score", "repository__full_name")
    )


def runs_visible_to(*, user: User) -> QuerySet[ImplementationRun]:
    runs = ImplementationRun.objects.select_related("paper", "opening")
    return runs if can_see_implementations(user) else runs.none()


def opening_top_papers(*, opening: Opening, top_n: int) -> list[Paper]:
    """The opening's top N papers: those of its role's best arXiv prospects (the arXiv ranking)
    first, then the most recent papers in the role's categories."""
    role = opening.role_profile
    person_ids = list(
        Prospect.objects.filter(role_profile=role)
        .order_by("-score", "id")
        .values_list("person_id", flat=True)[: top_n * 3]
    )
    rank = {person_id: i for i, person_id in enumerate(person_ids)}
    picked: dict[int, Paper] = {}
    authorships = Authorship.objects.filter(person_id__in=person_ids).select_related("paper")
    for authorship in sorted(
        authorships,
        key=lambda a: (
            rank[a.person_id],
            -(a.paper.published.timestamp() if a.paper.published else 0),
        ),
    ):
        picked.setdefault(authorship.paper_id, authorship.paper)
        if len(picked) >= top_n:
            return list(picked.values())
    categories = [c for c in role.sourcing_categories if isinstance(c, str)]
    keywords = [k for k in role.sourcing_keywords if isinstance(k, str)]
    match = Q(primary_category__in=categories)
    for keyword in keywords:
        match |= Q(title__icontains=keyword)
    if categories or keywords:
        recent = (
            Paper.objects.filter(match)
            .exclude(pk__in=list(picked))
            .order_by("-published", "arxiv_id")
        )
        for paper in recent[: top_n - len(picked)]:
            picked[paper.pk] = paper
    return list(picked.values())


@dataclass
class RankedReimplementer:
    candidate: Candidate
    score: float
    breakdown: list[dict[str, object]]
    implementations: list[Implementation] = field(default_factory=list)


def reimplementers_ranked(*, paper_ids: Iterable[int]) -> list[RankedReimplementer]:
    """Owners of re-implementations of these papers who are candidates, best first: their best
    implementation's engineering score plus a little for each further re-implementation."""
    rows = (
        implementations_with_evidence()
        .filter(
            paper_id__in=list(paper_ids),
            verdict=Implementation.Verdict.REIMPLEMENTATION,
            repository__gone_at__isnull=True,
            repository__owner__candidate__isnull=False,
        )
        .order_by("-score", "id")
    )
    by_candidate: dict[int, RankedReimplementer] = {}
    for implementation in rows:
        candidate = implementation.repository.owner.candidate
        assert candidate is not None  # filtered above
        entry = by_candidate.get(candidate.pk)
        if entry is None:
            repository, paper = implementation.repository, implementation.paper
            best = {
                "factor": "best re-implementation",
                "detail": f"{repository.full_name} of {paper.arxiv_id}",
                "points": implementation.score,
            }
            entry = by_candidate[candidate.pk] = RankedReimplementer(candidate, 0.0, [best])
        entry.implementations.append(implementation)
    for entry in by_candidate.values():
        extra = min(BREADTH_CAP, BREADTH_POINTS * (len(entry.implementations) - 1))
        if extra:
            entry.breakdown.append(
                {
                    "factor": "more re-implementations",
                    "detail": f"{len(entry.implementations) - 1} more",
                    "points": extra,
                }
            )
        entry.score = round(sum(float(str(line["points"])) for line in entry.breakdown), 1)
    return sorted(by_candidate.values(), key=lambda e: (-e.score, e.candidate.pk))


def opening_paper_ids(*, opening: Opening) -> list[int]:
    """The papers of the opening's latest run (what "top N for this role" meant then)."""
    run = (
        ImplementationRun.objects.filter(opening=opening, kind=ImplementationRun.Kind.OPENING)
        .order_by("-created_at", "-id")
        .first()
    )
    if run is None:
        return []
    return [pk for pk in run.checkpoint.get("paper_ids", []) if isinstance(pk, int)]
