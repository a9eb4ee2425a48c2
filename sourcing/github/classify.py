"""Official code or a re-implementation, with a confidence and the reasons in words.

Official when the owner is one of the authors (profile name, less surely the login), the paper
catalogue flags it, the Hugging Face paper page or the paper itself links it. Otherwise a
re-implementation; README words such as "unofficial" or "reproduction" raise the confidence.
Independent signals combine as a noisy-or: 1 - prod(1 - w)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sourcing.github.authors import AuthorMatch
from sourcing.github.readme import reimplementation_words
from sourcing.github.sources import CATALOGUE, HUGGINGFACE, PAPER_LINKS, RepoHit

OFFICIAL = "official"
REIMPLEMENTATION = "reimplementation"

_SOURCE_WEIGHTS = {PAPER_LINKS: 0.9, CATALOGUE: 0.85, HUGGINGFACE: 0.75}
_SOURCE_REASONS = {
    PAPER_LINKS: "The paper itself links to it ({detail}).",
    CATALOGUE: "The paper catalogue marks it as the official code.",
    HUGGINGFACE: "The paper's Hugging Face page links it as its code.",
}
_WORD_WEIGHTS = {
    "unofficial": 0.6,
    "not the official": 0.6,
    "re-implementation": 0.45,
    "reproduction": 0.3,
}
# Without any official signal a confirmed implementation is most likely someone else's.
_BASE_REIMPLEMENTATION = 0.6
# Signals this strong outweigh an "unofficial" in the README (which may talk about a port).
_DECISIVE = 0.85


@dataclass(frozen=True)
class Verdict:
    verdict: str
    confidence: float
    reasons: list[str]


def _noisy_or(weights: Iterable[float]) -> float:
    miss = 1.0
    for weight in weights:
        miss *= 1.0 - weight
    return 1.0 - miss


def classify(
    *, hits: Sequence[RepoHit], author_match: AuthorMatch | None, owner_login: str, readme: str
) -> Verdict:
    official: list[tuple[float, str]] = []
    if author_match is not None:
        weight = 0.9 if author_match.strong else 0.6
        official.append(
            (
                weight,
                f"The owner {owner_login}'s {author_match.how} matches the author "
                f"{author_match.author.name}.",
            )
        )
    for source, weight in _SOURCE_WEIGHTS.items():
        claims = [h for h in hits if h.source == source and h.official]
        if claims:
            official.append((weight, _SOURCE_REASONS[source].format(detail=claims[0].detail)))

    words = reimplementation_words(readme)
    word_reasons = [f'The README says "{word}".' for word in words]
    denied = any(h.source == CATALOGUE and h.official is False for h in hits)

    strongest = max((w for w, _ in official), default=0.0)
    if official and (strongest >= _DECISIVE or not words):
        confidence = _noisy_or(w for w, _ in official)
        reasons = [r for _, r in official]
        if words:
            confidence -= 0.2
            reasons += [f"{r} (weighed against)" for r in word_reasons]
        return Verdict(OFFICIAL, _round(confidence), reasons)

    weights = [_BASE_REIMPLEMENTATION, *(_WORD_WEIGHTS[w] for w in words)]
    reasons = [
        "No author, catalogue or paper link marks it as the paper's own code.",
        *word_reasons,
    ]
    if denied:
        weights.append(0.3)
        reasons.append("The paper catalogue lists it as not official.")
    if official:
        reasons += [f"{r} (outweighed by the README)" for _, r in official]
    return Verdict(REIMPLEMENTATION, _round(_noisy_or(weights)), reasons)


def _round(confidence: float) -> float:
    return round(min(0.99, max(0.05, confidence)), 2)
