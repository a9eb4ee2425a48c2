"""Applications: opening one against an opening's current bars, and moving it through the stages
with a history row per move."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.events.recording import event_record
from hiring.models import (
    Application,
    Candidate,
    Opening,
    RejectionReason,
    Stage,
    StageChange,
)
from hiring.services._actors import User, _actor
from hiring.services.notices import first_contact, first_contact_errors
from hiring.services.role_profiles import role_profile_current_bar_version

# Legal moves. Rejected, withdrawn and hired are final: a reopened candidacy is a new decision and
# gets a new application, so the history of the old one stays true.
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.SOURCED: frozenset({Stage.CONTACTED, Stage.SCREEN}),
    Stage.CONTACTED: frozenset({Stage.SCREEN}),
    Stage.SCREEN: frozenset({Stage.TAKE_HOME, Stage.ONSITE}),
    Stage.TAKE_HOME: frozenset({Stage.ONSITE}),
    Stage.ONSITE: frozenset({Stage.DEBRIEF}),
    Stage.DEBRIEF: frozenset({Stage.OFFER}),
    Stage.OFFER: frozenset({Stage.HIRED}),
    Stage.HIRED: frozenset(),
    Stage.REJECTED: frozenset(),
    Stage.WITHDRAWN: frozenset(),
}
_EXITS = frozenset({Stage.REJECTED, Stage.WITHDRAWN})
FINAL_STAGES = frozenset({Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN})

ALREADY_APPLIED = "This candidate already applied to this opening."


def allowed_next_stages(stage: str) -> frozenset[str]:
    """The stages ``stage`` may move to: its forward steps plus rejected and withdrawn, which are
    open from every stage that is not final. Empty for a final stage."""
    if stage in FINAL_STAGES:
        return frozenset()
    return TRANSITIONS[stage] | _EXITS


@transaction.atomic
def application_create(
    *, candidate: Candidate, opening: Opening, by: User = None, reason: str = ""
) -> Application:
    """Open an application in ``sourced`` against the opening's current bars."""
    if opening.status == Opening.Status.CLOSED:
        raise ValidationError({"opening": ["This opening is closed."]})
    if Application.objects.filter(candidate=candidate, opening=opening).exists():
        raise ValidationError({"non_field_errors": [ALREADY_APPLIED]})
    now = timezone.now()
    try:
        with transaction.atomic():
            bar_version = role_profile_current_bar_version(role_profile=opening.role_profile)
            application = Application.objects.create(
                candidate=candidate,
                opening=opening,
                bar_version=bar_version,
                stage=Stage.SOURCED,
                stage_changed_at=now,
                created_by=_actor(by),
            )
            StageChange.objects.create(
                application=application,
                from_stage="",
                to_stage=Stage.SOURCED,
                reason=reason,
                actor=_actor(by),
            )
            event_record(
                type="application.created",
                obj=application,
                changes={"stage": [None, Stage.SOURCED]},
                opening_ids=[opening.pk],
            )
    except IntegrityError as exc:
        # A concurrent create won the race after the check above.
        raise ValidationError({"non_field_errors": [ALREADY_APPLIED]}) from exc
    return application


def illegal_move(from_stage: str, to_stage: str, allowed: str) -> str:
    """Why a move is refused, with each stage as people read it and as the API names it."""
    return (
        f"Cannot move from {Stage(from_stage).label} ({from_stage}) to "
        f"{Stage(to_stage).label} ({to_stage}); allowed: {allowed}."
    )


@transaction.atomic
def application_transition(
    *,
    application: Application,
    to_stage: str,
    by: User = None,
    reason: str = "",
    rejection_reason: str = "",
) -> Application:
    """Move an application one legal step. Locks the row so two concurrent moves cannot both
    start from the same stage; the caller's instance is refreshed with the result."""
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": [f'"{to_stage}" is not a stage.']})
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if to_stage not in allowed_next_stages(locked.stage):
        allowed = ", ".join(sorted(allowed_next_stages(locked.stage))) or "none (final stage)"
        raise ValidationError({"to_stage": [illegal_move(locked.stage, to_stage, allowed)]})
    if to_stage == Stage.REJECTED:
        if rejection_reason not in RejectionReason.values:
            raise ValidationError(
                {
                    "rejection_reason": [
                        "A rejection needs a reason: one of "
                        + ", ".join(RejectionReason.values)
                        + "."
                    ]
                }
            )
    elif rejection_reason:
        raise ValidationError({"rejection_reason": ["Only a rejection takes a rejection reason."]})
    if contact_errors := first_contact_errors(locked, to_stage):
        raise ValidationError({"to_stage": contact_errors})
    if locked.stage == Stage.SOURCED and to_stage in {Stage.CONTACTED, Stage.SCREEN}:
        first_contact(locked, by=by)  # the Art. 14 notice goes with the first contact

    from_stage = locked.stage
    locked.stage = to_stage
    locked.rejection_reason = rejection_reason
    locked.stage_changed_at = timezone.now()
    locked.save(update_fields=["stage", "rejection_reason", "stage_changed_at", "updated_at"])
    StageChange.objects.create(
        application=locked,
        from_stage=from_stage,
        to_stage=to_stage,
        reason=reason,
        rejection_reason=rejection_reason,
        actor=_actor(by),
    )
    changes = {"stage": [from_stage, to_stage]}
    if rejection_reason:
        changes["rejection_reason"] = ["", rejection_reason]
    event_record(
        type="application.stage_changed",
        obj=locked,
        changes=changes,
        opening_ids=[locked.opening_id],
    )
    application.stage = locked.stage
    application.rejection_reason = locked.rejection_reason
    application.stage_changed_at = locked.stage_changed_at
    application.updated_at = locked.updated_at
    return application


def applications_transition_many(
    *,
    applications: Iterable[Application],
    to_stage: str,
    by: User = None,
    reason: str = "",
    rejection_reason: str = "",
) -> tuple[list[Application], dict[int, list[str]]]:
    """Move several applications (the admin's bulk action). Each move is its own transaction, so
    one illegal move does not undo the others; returns ``(moved, errors_by_application_id)``."""
    moved: list[Application] = []
    errors: dict[int, list[str]] = {}
    for application in applications:
        try:
            moved.append(
                application_transition(
                    application=application,
                    to_stage=to_stage,
                    by=by,
                    reason=reason,
                    rejection_reason=rejection_reason,
                )
            )
        except ValidationError as exc:
            errors[application.pk] = exc.messages
    return moved, errors
