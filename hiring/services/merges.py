"""Merging a duplicate candidate into the record that stays: the same person reached us twice
(an ATS import and an arXiv first author, say). Everything the duplicate held moves; the
duplicate stays as a tombstone pointing at the survivor (``merged_into``), so its history and an
ATS's id for it still lead somewhere, and lists no longer show it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal

from core.events.recording import event_record
from hiring.models import Application, Candidate, CandidateEmail
from hiring.services._actors import User, _actor

# Sent inside the merge's transaction with ``target`` and ``source``: apps that link records to
# candidates (sourcing's people and GitHub accounts) move their links to the target there.
candidate_merged = Signal()

# Identifiers the survivor takes from the duplicate when it has none of its own. The unique
# ones (NULL when unknown) are cleared on the duplicate first, so the constraint never sees two.
_UNIQUE_KEYS = ("github_login", "external_id", "orcid")
_PLAIN_KEYS = ("homepage", "openreview_id", "semantic_scholar_id")


@transaction.atomic
def candidate_merge(*, target: Candidate, source: Candidate, by: User = None) -> Candidate:
    """Merge ``source`` into ``target`` and return ``target``. Applications, addresses and the
    identifiers ``target`` lacks move to it; name forms are joined; ``source`` is left pointing
    at ``target``. Refused (nothing written) when they are the same, either is already merged,
    or both applied to the same opening (decide that application first). Records
    ``candidate.merged`` about ``source``."""
    if target.pk == source.pk:
        raise ValidationError({"into": ["A candidate cannot be merged into itself."]})
    locked = {
        c.pk: c for c in Candidate.objects.select_for_update().filter(pk__in=[target.pk, source.pk])
    }
    target, source = locked[target.pk], locked[source.pk]
    if source.merged_into_id is not None:
        raise ValidationError({"non_field_errors": ["This candidate was already merged."]})
    if target.merged_into_id is not None:
        raise ValidationError({"into": ["That candidate was itself merged into another."]})
    both = Application.objects.filter(candidate=target).values("opening_id")
    clashes = list(
        Application.objects.filter(candidate=source, opening_id__in=both)
        .select_related("opening")
        .order_by("opening_id")
    )
    if clashes:
        titles = ", ".join(f"{a.opening.title} (#{a.opening_id})" for a in clashes)
        raise ValidationError(
            {"non_field_errors": [f"Both applied to {titles}: decide one application first."]}
        )

    opening_ids = list(
        Application.objects.filter(candidate=source).values_list("opening_id", flat=True)
    )
    moved: dict[str, Any] = {"applications": len(opening_ids)}
    Application.objects.filter(candidate=source).update(candidate=target)
    moved["emails"] = _move_emails(target=target, source=source)
    taken = _take_identifiers(target=target, source=source)
    forms = list(dict.fromkeys([*target.arxiv_name_forms, *source.arxiv_name_forms]))
    if forms != target.arxiv_name_forms:
        target.arxiv_name_forms = forms
        taken.append("arxiv_name_forms")
    target.updated_by = _actor(by)
    target.save(update_fields=[*taken, "updated_by", "updated_at"])
    source.merged_into = target
    source.updated_by = _actor(by)
    source.save(update_fields=["merged_into", "updated_by", "updated_at"])
    candidate_merged.send(sender=Candidate, target=target, source=source)
    event_record(
        type="candidate.merged",
        obj=source,
        changes={"merged_into": [None, target.pk], "moved": [None, {**moved, "fields": taken}]},
        opening_ids=opening_ids,
        data={"id": source.pk, "merged_into": target.pk},
    )
    return target


def _move_emails(*, target: Candidate, source: Candidate) -> int:
    """Addresses ``target`` lacks move (never primary: the survivor keeps its own); the rest go."""
    known = {e.lower() for e in target.emails.values_list("email", flat=True)}
    moving = [e for e in source.emails.all() if e.email.lower() not in known]
    CandidateEmail.objects.filter(pk__in=[e.pk for e in moving]).update(
        candidate=target, is_primary=False
    )
    source.emails.all().delete()
    if moving and not known:
        first = target.emails.order_by("id").first()
        if first is not None:
            CandidateEmail.objects.filter(pk=first.pk).update(is_primary=True)
    return len(moving)


def _take_identifiers(*, target: Candidate, source: Candidate) -> list[str]:
    taken = []
    unique = {k: getattr(source, k) for k in _UNIQUE_KEYS if not getattr(target, k)}
    unique = {k: v for k, v in unique.items() if v}
    if unique:
        Candidate.objects.filter(pk=source.pk).update(**dict.fromkeys(unique))
        for key, value in unique.items():
            setattr(source, key, None)
            setattr(target, key, value)
            taken.append(key)
    for key in _PLAIN_KEYS:
        if not getattr(target, key) and getattr(source, key):
            setattr(target, key, getattr(source, key))
            taken.append(key)
    return taken
