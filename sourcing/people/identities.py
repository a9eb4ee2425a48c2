"""Recruiters' corrections to disambiguation: merge people, split mentions off into a new
person, and undo either. Every change is a ``PersonChange`` row naming exactly which authorships
moved (and whether the candidate moved), so undoing restores the previous state exactly."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.requester import Actor, actor
from sourcing.models import Authorship, Person, PersonChange, Prospect
from sourcing.people.categories import category_group
from sourcing.people.disambiguation import MAX_AFFILIATIONS, MAX_COAUTHORS, MAX_NAME_FORMS
from sourcing.people.generation import people_generation_bump, people_lock
from sourcing.people.names import parse_name
from sourcing.ranking.prospects import prospects_refresh


def person_refresh_evidence(*, person: Person) -> Person:
    """Rebuild a person's evidence summary from their authorships (after a merge or split)."""
    authorships = list(
        person.authorships.select_related("paper").order_by("paper__published", "position")
    )
    forms: list[dict[str, Any]] = []
    groups: set[str] = set()
    affiliations: list[str] = []
    years: list[int] = []
    coauthors: set[str] = set()
    for authorship in authorships:
        parts = parse_name(authorship.name)
        form = {"name": parts.display, "initials": list(parts.initials)}
        if form not in forms and len(forms) < MAX_NAME_FORMS:
            forms.append(form)
        paper = authorship.paper
        groups.add(category_group(paper.primary_category or next(iter(paper.categories), "")))
        if authorship.affiliation and authorship.affiliation not in affiliations:
            affiliations.append(authorship.affiliation)
        if paper.published:
            years.append(paper.published.year)
    paper_ids = [a.paper_id for a in authorships]
    for name in (
        Authorship.objects.filter(paper_id__in=paper_ids)
        .exclude(person=person)
        .values_list("name", flat=True)[:MAX_COAUTHORS]
    ):
        coauthors.add(parse_name(name).name_key)
    full = next((f for f in forms if parse_name(f["name"]).full_key), forms[0] if forms else None)
    if full is not None:
        parts = parse_name(full["name"])
        person.display_name, person.full_key = parts.display, parts.full_key
    person.name_forms = forms
    person.category_groups = sorted(groups)
    person.affiliations = affiliations[:MAX_AFFILIATIONS]
    person.coauthor_keys = sorted(coauthors)
    person.first_year = min(years) if years else None
    person.last_year = max(years) if years else None
    person.confidence = min((a.match_confidence for a in authorships), default=1.0)
    person.save(
        update_fields=[
            "display_name",
            "full_key",
            "name_forms",
            "category_groups",
            "affiliations",
            "coauthor_keys",
            "first_year",
            "last_year",
            "confidence",
            "updated_at",
        ]
    )
    people_generation_bump()
    return person


def _rerank(people: Iterable[Person]) -> None:
    ids = [p.pk for p in people]
    roles = {
        p.role_profile
        for p in Prospect.objects.filter(person_id__in=ids).select_related("role_profile")
    }
    for role in roles:
        live = [p for p in ids if Authorship.objects.filter(person_id=p, position=0).exists()]
        Prospect.objects.filter(role_profile=role, person_id__in=set(ids) - set(live)).delete()
        prospects_refresh(role_profile=role, person_ids=live)


def _move(authorship_ids: Sequence[int], to: Person) -> None:
    Authorship.objects.filter(pk__in=authorship_ids).update(person=to)


@transaction.atomic
def person_merge(
    *, target: Person, sources: Sequence[Person], by: Actor = None
) -> list[PersonChange]:
    """Fold ``sources`` into ``target``. The target keeps its candidate; when it has none it
    takes the first source's. Other candidates are left alone for the recruiter to resolve."""
    if any(s.pk == target.pk for s in sources):
        raise ValidationError({"sources": ["A person cannot be merged into themselves."]})
    ids = sorted([target.pk, *(s.pk for s in sources)])
    people_lock()  # not while an import batch decides or writes people
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    target = locked[target.pk]
    if target.merged_into_id or any(locked[s.pk].merged_into_id for s in sources):
        raise ValidationError({"sources": ["One of these people was already merged."]})
    changes = []
    for source in (locked[s.pk] for s in sources):
        moved = list(source.authorships.values_list("pk", flat=True))
        _move(moved, target)
        moved_candidate = False
        if target.candidate_id is None and source.candidate_id is not None:
            target.candidate_id, source.candidate_id = source.candidate_id, None
            source.save(update_fields=["candidate", "updated_at"])
            target.save(update_fields=["candidate", "updated_at"])
            moved_candidate = True
        source.merged_into = target
        source.save(update_fields=["merged_into", "updated_at"])
        changes.append(
            PersonChange.objects.create(
                kind=PersonChange.Kind.MERGE,
                source=source,
                target=target,
                authorship_ids=moved,
                moved_candidate=moved_candidate,
                by=actor(by),
            )
        )
    person_refresh_evidence(person=target)
    _rerank([target, *(locked[s.pk] for s in sources)])
    people_generation_bump()
    return changes


@transaction.atomic
def person_split(
    *, person: Person, authorships: Sequence[Authorship], by: Actor = None
) -> PersonChange:
    """Move these authorships of ``person`` to a new person (who they really are)."""
    people_lock()
    person = Person.objects.select_for_update().get(pk=person.pk)
    moved = sorted({a.pk for a in authorships})
    owned = set(person.authorships.filter(pk__in=moved).values_list("pk", flat=True))
    if not moved or owned != set(moved):
        raise ValidationError({"authorships": ["Choose authorships of this person only."]})
    if len(owned) == person.authorships.count():
        raise ValidationError({"authorships": ["Leave at least one authorship behind."]})
    first = Authorship.objects.get(pk=moved[0])
    parts = parse_name(first.name)
    new = Person.objects.create(
        display_name=parts.display or first.name,
        name_key=parts.name_key,
        full_key=parts.full_key,
    )
    _move(moved, new)
    change = PersonChange.objects.create(
        kind=PersonChange.Kind.SPLIT, source=person, target=new, authorship_ids=moved, by=actor(by)
    )
    person_refresh_evidence(person=person)
    person_refresh_evidence(person=new)
    _rerank([person, new])
    people_generation_bump()
    return change


@transaction.atomic
def person_change_revert(*, change: PersonChange, by: Actor = None) -> PersonChange:
    """Undo a merge (authorships and candidate back to the source, which is live again) or a
    split (authorships back to the original person; the split-off person is retired by being
    marked merged into it)."""
    people_lock()
    change = PersonChange.objects.select_for_update().get(pk=change.pk)
    if change.reverted_at is not None:
        raise ValidationError({"change": ["This change was already undone."]})
    source = Person.objects.select_for_update().get(pk=change.source_id)
    target = Person.objects.select_for_update().get(pk=change.target_id)
    if change.kind == PersonChange.Kind.MERGE:
        _move(change.authorship_ids, source)
        if change.moved_candidate and target.candidate_id is not None:
            source.candidate_id, target.candidate_id = target.candidate_id, None
            target.save(update_fields=["candidate", "updated_at"])
        source.merged_into = None
        source.save(update_fields=["merged_into", "candidate", "updated_at"])
    else:
        _move(change.authorship_ids, source)
        target.merged_into = source
        target.save(update_fields=["merged_into", "updated_at"])
    change.reverted_at = timezone.now()
    change.save(update_fields=["reverted_at"])
    for person in (source, target):
        if person.authorships.exists():
            person_refresh_evidence(person=person)
    _rerank([source, target])
    people_generation_bump()
    return change
