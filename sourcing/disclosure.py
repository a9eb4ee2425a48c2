"""What the arXiv side tells a person about themselves: where they were found, for the Art. 14
notice (``candidate_sources``), and everything held about them, for the access export
(``candidate_exporting``)."""

from __future__ import annotations

from typing import Any

from hiring.models import Candidate
from sourcing.models import Authorship, Person, Prospect
from sourcing.selectors import people_of_candidates


def _people(candidate: Candidate) -> list[Person]:
    duplicates = Candidate.objects.filter(merged_into=candidate)
    return list(people_of_candidates(candidates=[candidate, *duplicates]))


def _authorships(people: list[Person]) -> list[Authorship]:
    return list(
        Authorship.objects.filter(person__in=people)
        .select_related("paper")
        .order_by("-paper__published", "paper__arxiv_id", "position")
    )


def papers_as_sources(sender: Any, *, candidate: Candidate, **kwargs: Any) -> list[dict[str, str]]:
    """``candidate_sources`` receiver: the arXiv papers the person is an author of."""
    seen: dict[str, dict[str, str]] = {}
    for authorship in _authorships(_people(candidate)):
        paper = authorship.paper
        seen.setdefault(
            paper.arxiv_id, {"kind": "arXiv paper", "title": paper.title, "url": paper.abs_url}
        )
    return list(seen.values())


def arxiv_export(
    sender: Any, *, candidate: Candidate, objects: list[tuple[str, str]], **kwargs: Any
) -> dict[str, Any]:
    """``candidate_exporting`` receiver. Author identities have no events of their own."""
    people = _people(candidate)
    prospects = Prospect.objects.filter(person__in=people).select_related("role_profile")
    return {
        "arxiv": {
            "people": [
                {
                    "id": person.pk,
                    "display_name": person.display_name,
                    "name_forms": [f.get("name") for f in person.name_forms if isinstance(f, dict)],
                    "affiliations": person.affiliations,
                    "coauthor_keys": person.coauthor_keys,
                    "first_year": person.first_year,
                    "last_year": person.last_year,
                }
                for person in people
            ],
            "authorships": [
                {
                    "arxiv_id": a.paper.arxiv_id,
                    "title": a.paper.title,
                    "url": a.paper.abs_url,
                    "position": a.position + 1,
                    "name_as_written": a.name,
                    "affiliation": a.affiliation,
                }
                for a in _authorships(people)
            ],
            "prospects": [
                {
                    "role": prospect.role_profile.title,
                    "score": prospect.score,
                    "breakdown": prospect.breakdown,
                    "updated_at": prospect.updated_at,
                }
                for prospect in prospects.order_by("role_profile_id")
            ],
        }
    }
