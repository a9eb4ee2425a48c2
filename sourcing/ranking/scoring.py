"""Explainable ranking of a person for a role, from their first-author papers.

Quality over quantity: each first-author paper is worth more when it was accepted at a named
venue (read from the comment or journal reference) or re-implemented by others on GitHub; the
raw number of papers only adds a small, capped amount. The result is a breakdown a recruiter can
read: each component's value (0-1), weight, points and a sentence saying why."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

WEIGHTS = {
    "topical_fit": 0.35,
    "quality": 0.30,
    "recency": 0.20,
    "volume": 0.10,
    "senior_signal": 0.05,
}
VOLUME_CAP = 5  # papers beyond this add nothing
RECENCY_HALF_LIFE_YEARS = 2.0
VENUE_POINTS = 1.0
WORKSHOP_POINTS = 0.3
VENUES = (
    "NeurIPS", "NIPS", "ICML", "ICLR", "CVPR", "ICCV", "ECCV", "ACL", "EMNLP", "NAACL", "COLING",
    "AAAI", "IJCAI", "KDD", "SIGIR", "WWW", "COLT", "AISTATS", "UAI", "JMLR", "TMLR", "TPAMI",
    "CoRL", "ICRA", "IROS", "RSS", "Interspeech", "ICASSP", "MLSys", "WSDM", "RecSys",
)  # fmt: skip
_VENUE_RE = re.compile(r"\b(" + "|".join(VENUES) + r")\b", re.IGNORECASE)
_WORKSHOP_RE = re.compile(r"\bworkshops?\b", re.IGNORECASE)
_CANONICAL = {v.lower(): v for v in VENUES} | {"nips": "NeurIPS"}


@dataclass(frozen=True)
class PaperSignal:
    arxiv_id: str
    title: str
    abstract: str
    categories: Sequence[str]
    primary_category: str
    published: dt.datetime | None
    comment: str
    journal_ref: str
    reimplementation_count: int


def named_venue(comment: str, journal_ref: str) -> tuple[str, bool] | None:
    """The first named venue in the journal reference or comment, and whether it is a
    workshop of that venue; ``None`` when no venue is named."""
    for text in (journal_ref, comment):
        if match := _VENUE_RE.search(text or ""):
            return _CANONICAL[match.group(1).lower()], bool(_WORKSHOP_RE.search(text))
    return None


def topical_fit(paper: PaperSignal, categories: Sequence[str], keywords: Sequence[str]) -> float:
    """0-1: categories (primary counts fully, cross-lists half) and keywords in title/abstract."""
    parts: list[float] = []
    if categories:
        wanted = set(categories)
        if paper.primary_category in wanted:
            parts.append(1.0)
        elif wanted & set(paper.categories):
            parts.append(0.5)
        else:
            parts.append(0.0)
    if keywords:
        text = f"{paper.title} {paper.abstract}".lower()
        hits = sum(1 for k in keywords if k.lower() in text)
        parts.append(min(1.0, hits / 2))
    return sum(parts) / len(parts) if parts else 1.0


def paper_matches_role(
    *, title: str, abstract: str, categories: Sequence[str], keywords: Sequence[str],
    role_categories: Sequence[str],
) -> bool:  # fmt: skip
    """Whether a paper is in scope for a role: one of its categories and, when the role lists
    keywords, one of them in the title or abstract."""
    if role_categories and not set(role_categories) & set(categories):
        return False
    if keywords:
        text = f"{title} {abstract}".lower()
        return any(k.lower() in text for k in keywords)
    return True


def _paper_quality(paper: PaperSignal) -> tuple[float, str]:
    points = 0.0
    reasons: list[str] = []
    venue = named_venue(paper.comment, paper.journal_ref)
    if venue:
        name, workshop = venue
        points += WORKSHOP_POINTS if workshop else VENUE_POINTS
        reasons.append(f"{name} workshop" if workshop else f"accepted at {name}")
    if paper.reimplementation_count:
        points += min(1.0, math.log1p(paper.reimplementation_count) / math.log(11))
        reasons.append(f"{paper.reimplementation_count} re-implementation(s)")
    return points, ", ".join(reasons)


def score(
    *,
    first_author: Sequence[PaperSignal],
    last_author_count: int,
    categories: Sequence[str],
    keywords: Sequence[str],
    now: dt.datetime,
) -> dict[str, Any]:
    """The breakdown: ``{"score": float, "components": [...], "papers": [...]}``."""
    papers: list[dict[str, Any]] = []
    fits = []
    quality_total = 0.0
    for paper in first_author:
        fit = topical_fit(paper, categories, keywords)
        quality, why = _paper_quality(paper)
        fits.append(fit)
        quality_total += quality * fit
        papers.append(
            {
                "arxiv_id": paper.arxiv_id,
                "title": paper.title,
                "fit": round(fit, 3),
                "quality": round(quality, 3),
                "why": why,
            }
        )
    count = len(first_author)
    fit_value = sum(fits) / count if count else 0.0
    quality_value = 1 - math.exp(-quality_total / 2)
    dates = [p.published for p in first_author if p.published]
    if dates:
        years = max(0.0, (now - max(dates)).days / 365.25)
        recency_value = 0.5 ** (years / RECENCY_HALF_LIFE_YEARS)
        recency_reason = f"latest first-author paper {years:.1f} years ago"
    else:
        recency_value, recency_reason = 0.0, "no dated first-author paper"
    volume_value = min(count, VOLUME_CAP) / VOLUME_CAP
    senior_value = min(last_author_count, 3) / 3
    venues = sum(1 for p in papers if p["quality"])
    components = [
        ("topical_fit", fit_value, f"{count} first-author paper(s), mean fit {fit_value:.2f}"),
        ("quality", quality_value, f"{venues} with a named venue or re-implementations"),
        ("recency", recency_value, recency_reason),
        ("volume", volume_value, f"{count} paper(s), capped at {VOLUME_CAP}"),
        ("senior_signal", senior_value, f"last author on {last_author_count} paper(s)"),
    ]
    rows: list[dict[str, Any]] = [
        {
            "name": name,
            "value": round(value, 3),
            "weight": WEIGHTS[name],
            "points": round(value * WEIGHTS[name], 4),
            "reason": reason,
        }
        for name, value, reason in components
    ]
    total = round(sum(r["points"] for r in rows), 4)
    papers.sort(key=lambda p: (-p["quality"], -p["fit"], p["arxiv_id"]))
    return {"score": total, "components": rows, "papers": papers[:20]}
