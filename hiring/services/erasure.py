"""Erasure (GDPR Art. 17): take a person out of Hirebar everywhere, leaving only what is
pseudonymous (stages, dates, ratings, verdicts), so analytics keep their counts.

In one transaction: every app tells what names the person (``candidate_identifying``), the
identifiers go on the suppression list (so sourcing never brings them back), every app erases
what it holds (``candidate_erasing``: sourcing's author identities and GitHub accounts,
interviews' evidence and take-home files), hiring blanks the candidate, its addresses and free
texts, and the event log, the admin's log and the stored API answers are scrubbed. Records
``candidate.erased``. Erasing someone already erased changes nothing and says so.

Candidates are never deleted outright (the admin and the API no longer offer it): a deletion
would take the history away and leave sourcing free to create the person again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone

from core.events.recording import event_record
from core.events.redaction import events_redact
from core.idempotency.services import idempotency_answers_scrub
from core.webhooks.redaction import webhook_answers_scrub
from hiring.models import (
    Application,
    Candidate,
    CandidateEmail,
    Message,
    Stage,
    StageChange,
    Suppression,
)
from hiring.services._actors import User
from hiring.services.applications import FINAL_STAGES, application_transition
from hiring.services.messages import UNSENT
from hiring.services.person_terms import ERASED, PersonTerms
from hiring.services.suppression import suppression_add

# Sent with ``candidates`` (the person's records: the one erased and the duplicates merged into
# it) and ``terms`` (a ``PersonTerms``): receivers add the names, addresses and identifiers
# they hold (and the suppression identifiers sourcing matches on). Nothing is changed yet.
candidate_identifying = Signal()
# Sent next, in the same transaction, with ``candidates``, ``terms`` (now complete) and
# ``erasure`` (an ``Erasure``): receivers erase what they hold and add the events' objects
# they own to ``erasure.objects``, so those events are redacted whole.
candidate_erasing = Signal()

# Keys of event payloads that hold personal data whatever their value looks like.
PERSONAL_KEYS = frozenset(
    {
        "full_name",
        "emails",
        "email",
        "github_login",
        "homepage",
        "orcid",
        "arxiv_name_forms",
        "source_evidence",
        "openreview_id",
        "semantic_scholar_id",
        "objection",
        "display_name",
        "name",
        "login",
        "to",
        "to_address",
        "subject",
        "body",
        "body_text",
        "body_html",
        "notes",
        "evidence",
        "summary",
        "comment",
        "repository_url",
        "submission_file",
        "candidate_name",
    }
)
_CLEARED: dict[str, Any] = {
    "homepage": "",
    "github_login": None,
    "arxiv_name_forms": [],
    "orcid": None,
    "openreview_id": "",
    "semantic_scholar_id": "",
    "source_evidence": "",
    "objection": "",
}


@dataclass
class Erasure:
    """What an erasure did: ``objects`` (``(event object type, id)``) whose events are redacted
    whole; ``counts`` per kind of thing erased, for the log and the answer."""

    candidate: Candidate
    already: bool = False
    objects: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        if n:
            self.counts[what] = self.counts.get(what, 0) + n


def _root(candidate: Candidate) -> Candidate:
    seen = set()
    while candidate.merged_into_id is not None and candidate.pk not in seen:
        seen.add(candidate.pk)
        candidate = Candidate.objects.get(pk=candidate.merged_into_id)
    return candidate


def has_given_name(form: str) -> bool:
    """Whether a printed name form spells out a given name ("Vaswani, Ashish", "Ashish
    Vaswani"), rather than initials only ("Vaswani, A.", "A. Vaswani")."""
    _last, comma, first = form.partition(",")
    given = first if comma else " ".join(form.split()[:-1])
    return any(len(part.strip(".")) > 1 and not part.endswith(".") for part in given.split())


def candidate_terms(candidates: list[Candidate]) -> PersonTerms:
    """Everything that names the person, from hiring and (through the signal) every app."""
    terms = PersonTerms()
    emails = CandidateEmail.objects.filter(candidate__in=candidates).values_list("email", flat=True)
    for candidate in candidates:
        terms.add_name(candidate.full_name)
        for form in candidate.arxiv_name_forms or []:
            if isinstance(form, str):
                terms.add_name(form)
                if has_given_name(form):  # "A. Vaswani" would suppress every namesake
                    terms.add_identifier(Suppression.Kind.ARXIV_NAME, form)
        if candidate.github_login:
            terms.logins.add(candidate.github_login)
            terms.add_identifier(Suppression.Kind.GITHUB_LOGIN, candidate.github_login)
        if candidate.orcid:
            terms.other.add(candidate.orcid)
            terms.add_identifier(Suppression.Kind.ORCID, candidate.orcid)
        for value in (candidate.homepage, candidate.openreview_id, candidate.semantic_scholar_id):
            if value:
                terms.other.add(value)
    for email in emails:
        terms.emails.add(email)
        terms.add_identifier(Suppression.Kind.EMAIL, email)
    candidate_identifying.send(sender=Candidate, candidates=candidates, terms=terms)
    return terms


def suppress_terms(terms: PersonTerms, *, reason: str) -> int:
    return sum(
        suppression_add(kind=kind, values=values, reason=reason)
        for kind, values in terms.identifiers.items()
    )


def _withdraw_open(candidates: list[Candidate], by: User) -> int:
    """An erased person is in no hiring process any more: their open applications end."""
    open_ = Application.objects.filter(candidate__in=candidates).exclude(stage__in=FINAL_STAGES)
    count = 0
    for application in open_.order_by("pk"):
        application_transition(
            application=application, to_stage=Stage.WITHDRAWN, by=by, reason="Erased on request."
        )
        count += 1
    return count


def _erase_hiring(candidates: list[Candidate], terms: PersonTerms, erasure: Erasure) -> None:
    applications = list(
        Application.objects.filter(candidate__in=candidates).values_list("pk", flat=True)
    )
    erasure.objects += [("application", str(pk)) for pk in applications]
    erasure.objects += [("candidate", str(c.pk)) for c in candidates]
    changed = []
    for change in StageChange.objects.filter(application_id__in=applications).exclude(reason=""):
        scrubbed = terms.scrub_all(change.reason)
        if scrubbed != change.reason:
            change.reason = scrubbed
            changed.append(change)
    StageChange.objects.bulk_update(changed, ["reason"])
    erasure.count("addresses", CandidateEmail.objects.filter(candidate__in=candidates).delete()[0])
    erasure.count("messages", _erase_messages(candidates, terms))
    now = timezone.now()
    for candidate in candidates:
        for name, value in _CLEARED.items():
            setattr(candidate, name, value)
        candidate.full_name = f"Erased person {candidate.pk}"
        candidate.erased_at = now
        candidate.save(update_fields=[*_CLEARED, "full_name", "erased_at", "updated_at"])


def _erase_messages(candidates: list[Candidate], terms: PersonTerms) -> int:
    """The log keeps that a message of a kind went, when, and how it ended; not to whom or
    what it said. One not sent yet never will be."""
    messages = Message.objects.filter(candidate__in=candidates)
    Message.objects.filter(candidate__in=candidates, status__in=UNSENT).update(
        status=Message.Status.FAILED,
        max_attempts=F("attempts"),
        leased_until=None,
        lease_token="",
    )
    for message in messages.exclude(last_error="").only("pk", "last_error"):
        Message.objects.filter(pk=message.pk).update(last_error=terms.scrub_all(message.last_error))
    return messages.update(
        to_address="", subject=ERASED, body_text="", body_html="", attachments=[]
    )


def _scrub_admin_log(terms: PersonTerms, candidates: list[Candidate]) -> int:
    """The admin's own history ("Changed Jane Doe") names the object it changed."""
    query = Q(object_id__in=[str(c.pk) for c in candidates], content_type__model="candidate")
    for term in terms.strong():
        query |= Q(object_repr__icontains=term) | Q(change_message__icontains=term)
    changed = []
    for entry in LogEntry.objects.filter(query):
        repr_, message = terms.scrub_all(entry.object_repr), terms.scrub_all(entry.change_message)
        if (repr_, message) != (entry.object_repr, entry.change_message):
            entry.object_repr, entry.change_message = repr_, message
            changed.append(entry)
    LogEntry.objects.bulk_update(changed, ["object_repr", "change_message"])
    return len(changed)


@transaction.atomic
def candidate_erase(*, candidate: Candidate, by: User = None, reason: str = "") -> Erasure:
    """Erase the person ``candidate`` is (a merged duplicate erases the record it was merged
    into, with every duplicate). Returns what was done; ``already`` when there was nothing left
    to erase."""
    root = _root(Candidate.objects.select_for_update().get(pk=candidate.pk))
    root = Candidate.objects.select_for_update().get(pk=root.pk)
    if root.erased_at is not None:
        return Erasure(candidate=root, already=True)
    candidates = [root, *Candidate.objects.select_for_update().filter(merged_into=root)]
    terms = candidate_terms(candidates)
    erasure = Erasure(candidate=root)
    erasure.count("applications withdrawn", _withdraw_open(candidates, by))
    erasure.count("suppressed identifiers", suppress_terms(terms, reason=Suppression.Reason.ERASED))
    candidate_erasing.send(sender=Candidate, candidates=candidates, terms=terms, erasure=erasure)
    _erase_hiring(candidates, terms, erasure)
    redacted = events_redact(
        objects=erasure.objects,
        terms=terms.strong(),
        scrub=terms.scrub_all,
        personal_keys=PERSONAL_KEYS,
        scrub_others=terms.scrub_strong,
    )
    erasure.count("events redacted", len(redacted))
    erasure.count(
        "webhook answers",
        webhook_answers_scrub(event_ids=redacted, terms=terms.strong(), scrub=terms.scrub_all),
    )
    erasure.count("admin log entries", _scrub_admin_log(terms, candidates))
    erasure.count(
        "stored API answers", idempotency_answers_scrub(terms=terms.strong(), scrub=terms.scrub_all)
    )
    opening_ids = Application.objects.filter(candidate__in=candidates).values_list(
        "opening_id", flat=True
    )
    event_record(
        type="candidate.erased",
        obj=root,
        changes={
            "erased_at": [None, root.erased_at.isoformat() if root.erased_at else None],
            "reason": ["", reason[:200]],
        },
        opening_ids=list(opening_ids),
    )
    root.refresh_from_db()
    erasure.candidate = root
    return erasure
