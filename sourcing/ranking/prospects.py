"""Prospects per role: first authors of in-scope papers, ranked, and turned into candidates.

Called inside a batch transaction (after ``ingest_batch``) and by the re-rank action. Prospects
are upserted on ``(role_profile, person)``; a person becomes at most one candidate because
``Person.candidate`` is one-to-one and the row is locked while the candidate is created."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone

from hiring.models import Candidate, RoleProfile, Suppression
from hiring.services import CandidateInput, candidate_create
from hiring.services.suppression import Kind, fold_name, identifier_digest
from sourcing.models import Authorship, Person, Prospect, SourcingRun
from sourcing.ranking import scoring

logger = logging.getLogger(__name__)
MAX_PAPERS_RANKED = 50  # the most recent first-author papers of one person


def _signal(authorship: Authorship) -> scoring.PaperSignal:
    paper = authorship.paper
    return scoring.PaperSignal(
        arxiv_id=paper.arxiv_id,
        title=paper.title,
        abstract=paper.abstract,
        categories=paper.categories,
        primary_category=paper.primary_category,
        published=paper.published,
        comment=paper.comment,
        journal_ref=paper.journal_ref,
        reimplementation_count=paper.reimplementation_count,
    )


def prospects_refresh(
    *, role_profile: RoleProfile, person_ids: Iterable[int], run: SourcingRun | None = None
) -> list[Prospect]:
    """(Re)compute the ranking of these people for the role and upsert their prospects."""
    ids = sorted(set(person_ids))
    if not ids:
        return []
    firsts: dict[int, list[scoring.PaperSignal]] = defaultdict(list)
    for authorship in (
        Authorship.objects.filter(person_id__in=ids, position=0)
        .select_related("paper")
        # arXiv id breaks ties of date: which 50 papers are ranked must not depend on the
        # order rows happen to be stored in (a resumed run stores them in another).
        .order_by("person_id", "-paper__published", "-paper__arxiv_id")
    ):
        if len(firsts[authorship.person_id]) < MAX_PAPERS_RANKED:
            firsts[authorship.person_id].append(_signal(authorship))
    lasts = dict(
        Authorship.objects.filter(person_id__in=ids, is_last=True)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    now = timezone.now()
    prospects = []
    for person_id in ids:
        breakdown = scoring.score(
            first_author=firsts.get(person_id, []),
            last_author_count=lasts.get(person_id, 0),
            categories=role_profile.sourcing_categories,
            keywords=role_profile.sourcing_keywords,
            now=now,
        )
        prospects.append(
            Prospect(
                role_profile=role_profile,
                person_id=person_id,
                score=breakdown["score"],
                breakdown=breakdown,
                first_author_papers=len(firsts.get(person_id, [])),
                last_author_papers=lasts.get(person_id, 0),
                last_run=run,
            )
        )
    Prospect.objects.bulk_create(
        prospects,
        update_conflicts=True,
        unique_fields=["role_profile", "person"],
        update_fields=[
            "score",
            "breakdown",
            "first_author_papers",
            "last_author_papers",
            "last_run",
            "updated_at",
        ],
    )
    return prospects


def _evidence_text(person: Person) -> str:
    lines = ["arXiv first-author papers (position, affiliation):"]
    authorships = (
        person.authorships.filter(position=0).select_related("paper").order_by("-paper__published")
    )
    for authorship in authorships[:20]:
        paper = authorship.paper
        where = f", {authorship.affiliation}" if authorship.affiliation else ""
        lines.append(f"- {paper.abs_url} {paper.title} (author 1{where})")
    return "\n".join(lines)


def _full_name(name: str) -> bool:
    """A written-out given name first ("Ashish Vaswani", not "A. Vaswani")."""
    words = fold_name(name).split()
    return len(words) > 1 and len(words[0]) > 1


def _suppressed(person: Person, forms: list[str]) -> bool:
    # Full names only: an initials-only form names every namesake (``sourcing.privacy``).
    digests = {
        identifier_digest(Kind.ARXIV_NAME, n)
        for n in (person.display_name, *forms)
        if _full_name(n)
    }
    return (
        bool(digests)
        and Suppression.objects.filter(kind=Kind.ARXIV_NAME, digest__in=digests).exists()
    )


def candidates_for_people(*, person_ids: Iterable[int]) -> int:
    """Make each person a hiring candidate (source arXiv, GDPR notice pending) unless they
    already are one, or a full name of theirs is on the suppression list (someone erased or
    who objected: the engines skip their mentions, this is the last line). Returns how many
    candidates were created."""
    created = 0
    people = Person.objects.select_for_update().filter(
        pk__in=sorted(set(person_ids)), candidate__isnull=True, merged_into__isnull=True
    )
    for person in people.order_by("pk"):
        forms = [f["name"] for f in person.name_forms if isinstance(f, dict) and f.get("name")]
        if _suppressed(person, forms):
            logger.info("no candidate for person %s: suppressed name", person.pk)
            continue
        try:
            candidate: Candidate = candidate_create(
                data=CandidateInput(
                    {
                        "full_name": person.display_name[:200],
                        "arxiv_name_forms": forms,
                        "source": Candidate.Source.ARXIV,
                        "notice_state": Candidate.NoticeState.PENDING,
                        "source_evidence": _evidence_text(person),
                    }
                )
            )
        except ValidationError as exc:
            # One unusable record (say, an author listed without a name) must not fail the
            # batch of everyone else; the person stays a prospect without a candidate.
            logger.warning("no candidate for person %s: %s", person.pk, exc.messages)
            continue
        person.candidate = candidate
        person.save(update_fields=["candidate", "updated_at"])
        created += 1
    return created
