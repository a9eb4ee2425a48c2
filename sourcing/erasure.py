"""The arXiv side of an erasure (``hiring.services.candidate_erase``) and of an objection.

Identifying: the names the person's author identities go by, and the suppression identifiers
the engines match on (``sourcing.privacy``): each of their author slots (paper and name as
written) and each full name (never an initials-only form, which names every namesake).

Erasing: their prospects, authorships and identities go; the papers stay, each with an
anonymous slot where the person was (no authorship row at that position); their name key leaves
their co-authors' evidence; the merge and split history that names them goes; and the runs'
error and waiting notes are scrubbed. Affiliations go with the authorships; they are not looked
for elsewhere, as an institution alone does not identify anyone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from hiring.models import Candidate
from hiring.services import Erasure, PersonTerms
from hiring.services.suppression import Kind, mention_value
from sourcing.models import Authorship, Person, PersonChange, Prospect, SourcingRun
from sourcing.people.generation import people_generation_bump, people_lock
from sourcing.people.names import parse_name
from sourcing.selectors import people_of_candidates


def _forms(person: Person) -> list[str]:
    forms = [f.get("name", "") for f in person.name_forms if isinstance(f, dict)]
    return [f for f in (person.display_name, *forms) if f]


def people_identify(
    sender: Any, *, candidates: Sequence[Candidate], terms: PersonTerms, **kwargs: Any
) -> None:
    """``candidate_identifying`` receiver."""
    people = list(people_of_candidates(candidates=candidates))
    names: set[str] = set()
    for person in people:
        names.update(_forms(person))
    authorships = Authorship.objects.filter(person__in=people).values_list(
        "paper__arxiv_id", "name"
    )
    for arxiv_id, name in authorships:
        names.add(name)
        terms.add_identifier(Kind.ARXIV_MENTION, mention_value(arxiv_id, name))
    for name in names:
        terms.add_name(name)
        if parse_name(name).first_given:
            terms.add_identifier(Kind.ARXIV_NAME, name)


def _coauthors_forget(people: Sequence[Person], paper_ids: set[int]) -> int:
    """Take the erased people's name keys out of their co-authors' evidence; returns how many
    co-authors changed."""
    keys = {p.name_key for p in people}
    keys |= {
        parse_name(name).name_key
        for name in Authorship.objects.filter(person__in=people).values_list("name", flat=True)
    }
    erased = {p.pk for p in people}
    coauthors = (
        Person.objects.filter(authorships__paper_id__in=paper_ids)
        .exclude(pk__in=erased)
        .distinct()
        .order_by("pk")
    )
    changed = []
    for coauthor in coauthors:
        kept = [k for k in coauthor.coauthor_keys if k not in keys]
        if len(kept) != len(coauthor.coauthor_keys):
            coauthor.coauthor_keys = kept
            changed.append(coauthor)
    Person.objects.bulk_update(changed, ["coauthor_keys"])
    return len(changed)


def _runs_scrub(terms: PersonTerms) -> int:
    """A run's error or waiting note may quote an author's name (say, from a refused record)."""
    match = Q(pk__in=[])
    for term in terms.strong():
        match |= Q(error__icontains=term) | Q(note__icontains=term)
    changed = []
    for run in SourcingRun.objects.filter(match).only("pk", "error", "note"):
        error, note = terms.scrub_strong(run.error), terms.scrub_strong(run.note)
        if (error, note) != (run.error, run.note):
            run.error, run.note = error, note
            changed.append(run)
    SourcingRun.objects.bulk_update(changed, ["error", "note"])
    return len(changed)


def people_erase(
    sender: Any,
    *,
    candidates: Sequence[Candidate],
    terms: PersonTerms,
    erasure: Erasure,
    **kwargs: Any,
) -> None:
    """``candidate_erasing`` receiver. Takes the people lock (as imports, merges and splits do)
    and moves the people generation, so no import acts on the identities removed here."""
    erasure.count("arXiv runs scrubbed", _runs_scrub(terms))
    if not people_of_candidates(candidates=candidates).exists():
        return
    # The lock before the rows, as every import takes them: an import holds the people lock
    # while it locks and rewrites people, so an erasure that locked their rows first and then
    # waited for it could deadlock with the import.
    people_lock()
    people = list(people_of_candidates(candidates=candidates).select_for_update())
    if not people:
        return
    ids = [p.pk for p in people]
    mine = Authorship.objects.filter(person_id__in=ids)
    paper_ids = set(mine.values_list("paper_id", flat=True))
    erasure.count("arXiv co-authors' evidence", _coauthors_forget(people, paper_ids))
    erasure.count("arXiv prospects", Prospect.objects.filter(person_id__in=ids).delete()[0])
    erasure.count("arXiv authorships", mine.delete()[0])
    changes = PersonChange.objects.filter(Q(source_id__in=ids) | Q(target_id__in=ids))
    erasure.count("arXiv merge and split records", changes.delete()[0])
    # Merged identities point at each other (merged_into); clear the links first, so the
    # delete does not depend on the order rows go in.
    Person.objects.filter(pk__in=ids).update(merged_into=None, candidate=None)
    Person.objects.filter(pk__in=ids).delete()
    erasure.count("arXiv author identities", len(ids))
    people_generation_bump()
