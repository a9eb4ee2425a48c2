"""From a repository owner's GitHub profile to a hiring candidate, through ``hiring.services`` so
the candidate rules (natural keys, e-mail uniqueness, validation) are enforced once.

Deduplicated by GitHub login; when the owner is one of the paper's authors, the arXiv person's
candidate is reused (and linked) instead of creating a second record for the same human. A
candidate who objected to being contacted is never updated."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction

from hiring.models import Candidate
from hiring.services import CandidateInput, candidate_create, candidate_update
from sourcing.github.parsing import OwnerProfile
from sourcing.github.privacy import SUPPRESSED_NOTE, profile_suppressed
from sourcing.models import Person

_MAX_MERGE_HOPS = 10


@dataclass(frozen=True)
class CandidateOutcome:
    candidate: Candidate | None
    note: str  # what happened, for the run's progress


def _homepage(blog: str) -> str:
    if not blog:
        return ""
    url = blog if "://" in blog else f"https://{blog}"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url[:500]


def _email(email: str) -> list[str]:
    try:
        validate_email(email)
    except ValidationError:
        return []
    return [email]


def _person(person_id: int | None) -> Person | None:
    """The surviving person after recruiters' merges."""
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    hops = 0
    while person is not None and person.merged_into_id and hops < _MAX_MERGE_HOPS:
        person = Person.objects.filter(pk=person.merged_into_id).first()
        hops += 1
    return person


def candidate_from_profile(
    *, profile: OwnerProfile, author_person_id: int | None, evidence: str
) -> CandidateOutcome:
    """Create or update the owner's candidate. Raises nothing for bad profile data: a
    ``ValidationError`` from the hiring services becomes a note and no candidate is written
    (the services write in a savepoint, so nothing half-made remains). An owner on the
    suppression list (login, e-mail, ORCID) gets no candidate and no link."""
    if profile_suppressed(profile):
        return CandidateOutcome(None, f"no candidate: {SUPPRESSED_NOTE}")
    person = _person(author_person_id)
    candidate = Candidate.objects.filter(github_login__iexact=profile.login).first()
    if candidate is None and person is not None and person.candidate is not None:
        known_login = person.candidate.github_login
        # An author whose candidate already has another GitHub account is not this owner.
        if not known_login or known_login.lower() == profile.login.lower():
            candidate = person.candidate
    try:
        if candidate is None:
            candidate = _create(profile, evidence)
            note = f"created candidate {candidate.pk} for {profile.login}"
        elif candidate.notice_state == Candidate.NoticeState.OBJECTED:
            return CandidateOutcome(candidate, f"candidate {candidate.pk} objected; not updated")
        else:
            _update(candidate, profile, evidence)
            note = f"updated candidate {candidate.pk} for {profile.login}"
    except ValidationError as exc:
        return CandidateOutcome(
            None, f"no candidate for {profile.login}: {'; '.join(exc.messages)}"
        )
    if person is not None and person.candidate_id is None and _link(person, candidate):
        note += f"; linked to author {person.display_name}"
    return CandidateOutcome(candidate, note)


def _link(person: Person, candidate: Candidate) -> bool:
    """Link the author to the candidate unless another author identity holds it (one-to-one)."""
    if Person.objects.filter(candidate=candidate).exists():
        return False
    try:
        with transaction.atomic():
            linked = Person.objects.filter(pk=person.pk, candidate__isnull=True).update(
                candidate=candidate
            )
    except IntegrityError:  # a concurrent link won
        return False
    return bool(linked)


def _create(profile: OwnerProfile, evidence: str) -> Candidate:
    fields = {
        "full_name": (profile.name or profile.login)[:200],
        "homepage": _homepage(profile.blog),
        "github_login": profile.login,
        "source": Candidate.Source.GITHUB,
        "notice_state": Candidate.NoticeState.PENDING,
        "source_evidence": evidence,
    }
    emails = _email(profile.email)
    try:
        return candidate_create(data=CandidateInput(fields, emails))
    except ValidationError as exc:
        # The public e-mail may belong to another candidate already; the person is still new.
        if emails and "emails" in getattr(exc, "message_dict", {}):
            return candidate_create(data=CandidateInput(fields, []))
        raise


def _update(candidate: Candidate, profile: OwnerProfile, evidence: str) -> None:
    fields: dict[str, object] = {}
    if not candidate.github_login:
        fields["github_login"] = profile.login
    if not candidate.homepage and (homepage := _homepage(profile.blog)):
        fields["homepage"] = homepage
    if evidence not in candidate.source_evidence:
        fields["source_evidence"] = "\n".join(filter(None, [candidate.source_evidence, evidence]))
    emails = None
    if profile.email and not candidate.emails.exists():
        emails = _email(profile.email) or None
    if not fields and emails is None:
        return
    try:
        candidate_update(candidate=candidate, data=CandidateInput(fields, emails))
    except ValidationError as exc:
        if emails and "emails" in getattr(exc, "message_dict", {}):
            candidate_update(candidate=candidate, data=CandidateInput(fields, None))
        else:
            raise
