"""Objections (GDPR Art. 21): a sourced person tells us to stop. Their open applications are
withdrawn, nobody contacts them again (``notices.first_contact_errors``), and their identifiers
go on the suppression list so no sourcing path finds them again. Unlike erasure, the record
stays (with the objection), so the recruiter sees why they must not be approached."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.events.recording import event_record
from hiring.models import Candidate, Stage, Suppression
from hiring.services._actors import User
from hiring.services.applications import FINAL_STAGES, application_transition
from hiring.services.erasure import candidate_terms, suppress_terms
from hiring.services.notices import is_sourced


@transaction.atomic
def candidate_object(*, candidate: Candidate, reason: str = "", by: User = None) -> Candidate:
    """Record the person's objection (Art. 21): their open applications are withdrawn, they
    are never contacted, and their identifiers are suppressed so sourcing skips them. Refused
    for a candidate who was not sourced; a second objection changes nothing."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.erased_at is not None:
        raise ValidationError({"objection": ["This person was erased already."]})
    if not is_sourced(candidate):
        raise ValidationError(
            {
                "objection": [
                    "This candidate was not sourced (they applied or were entered by "
                    "hand): withdraw their application or erase them instead."
                ]
            }
        )
    if candidate.objected_at is not None:
        return candidate
    candidate.objected_at = timezone.now()
    candidate.objection = reason.strip()[:2000]
    candidate.notice_state = Candidate.NoticeState.OBJECTED
    candidate.save(update_fields=["objected_at", "objection", "notice_state", "updated_at"])
    for application in candidate.applications.exclude(stage__in=FINAL_STAGES):
        application_transition(
            application=application,
            to_stage=Stage.WITHDRAWN,
            by=by,
            reason="Objected to processing.",
        )
    suppress_terms(candidate_terms([candidate]), reason=Suppression.Reason.OBJECTED)
    event_record(
        type="candidate.objected",
        obj=candidate,
        changes={"objected_at": [None, candidate.objected_at.isoformat()]},
        opening_ids=list(candidate.applications.values_list("opening_id", flat=True)),
    )
    return candidate
