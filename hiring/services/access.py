"""The access export (GDPR Art. 15): one JSON document with everything Hirebar holds about a
person, from every app. Hiring writes its own part; other apps answer ``candidate_exporting``
with theirs (sourcing: author identities, papers, GitHub accounts, prospects; interviews:
interviews, scorecards, take-homes, verdicts), and the audit trail of the person's records is
included, since it holds their data too."""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal
from django.utils import timezone

from core.events.models import Event
from core.events.recording import json_safe
from hiring.models import Application, Candidate

# Sent with ``candidate``; receivers return ``{section name: JSON-able data}`` and may add the
# ``(event object type, id)`` pairs of their records to ``objects`` for the audit section.
candidate_exporting = Signal()

FORMAT = "hirebar.access-export/1"


class ErasedError(Exception):
    """The person was erased: nothing personal is left to export."""


def _candidate(candidate: Candidate) -> dict[str, Any]:
    fields = [
        "id", "full_name", "homepage", "github_login", "arxiv_name_forms", "orcid",
        "openreview_id", "semantic_scholar_id", "source", "source_evidence", "notice_state",
        "consent_state", "external_id", "sourced_at", "notice_due_at", "notice_sent_at",
        "objected_at", "objection", "created_at", "updated_at",
    ]  # fmt: skip
    data = {name: getattr(candidate, name) for name in fields}
    data["emails"] = list(candidate.emails.values_list("email", flat=True))
    return data


def _applications(candidate: Candidate, objects: list[tuple[str, str]]) -> list[dict[str, Any]]:
    rows = []
    applications = Application.objects.filter(candidate=candidate).select_related("opening")
    for application in applications.prefetch_related("history"):
        objects.append(("application", str(application.pk)))
        rows.append(
            {
                "id": application.pk,
                "opening": {"id": application.opening_id, "title": application.opening.title},
                "stage": application.stage,
                "rejection_reason": application.rejection_reason,
                "created_at": application.created_at,
                "history": [
                    {
                        "from_stage": change.from_stage,
                        "to_stage": change.to_stage,
                        "reason": change.reason,
                        "at": change.created_at,
                    }
                    for change in application.history.all()
                ],
            }
        )
    return rows


def candidate_export(*, candidate: Candidate) -> dict[str, Any]:
    """Everything held about ``candidate``; raises ``ErasedError`` for an erased person."""
    if candidate.erased_at is not None:
        raise ErasedError(f"Candidate {candidate.pk} was erased on {candidate.erased_at:%Y-%m-%d}.")
    objects: list[tuple[str, str]] = [("candidate", str(candidate.pk))]
    document: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "candidate": _candidate(candidate),
        "applications": _applications(candidate, objects),
    }
    for _receiver, sections in candidate_exporting.send(
        sender=Candidate, candidate=candidate, objects=objects
    ):
        if isinstance(sections, dict):
            document.update(sections)
    events = Event.objects.none()
    for object_type, object_id in objects:
        events |= Event.objects.filter(object_type=object_type, object_id=object_id)
    document["audit_trail"] = [
        {
            "type": event.type,
            "object": f"{event.object_type}:{event.object_id}",
            "at": event.created_at,
            "by": event.actor_label,
            "changes": event.changes,
        }
        for event in events.order_by("created_at", "id")
    ]
    exported: dict[str, Any] = json_safe(document)
    return exported
