"""When hiring merges a duplicate candidate, the arXiv identity behind it follows the survivor.
(An identity whose duplicate was merged keeps pointing at that tombstone when the survivor
already has one: not null, so sourcing never makes a new candidate for it.)"""

from __future__ import annotations

from typing import Any

from hiring.models import Candidate
from sourcing.models import Person


def people_follow_merged_candidate(
    sender: Any, *, target: Candidate, source: Candidate, **kwargs: Any
) -> None:
    if not Person.objects.filter(candidate=target).exists():
        Person.objects.filter(candidate=source).update(candidate=target)
