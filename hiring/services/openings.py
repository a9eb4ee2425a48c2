"""Openings: positions opened for a role profile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.events.recording import (
    changes_between,
    event_record,
    fields_of,
    stored_fields_of,
)
from hiring.models import Opening, RoleProfile
from hiring.services._actors import User, _actor

# The role profile is set once, at creation: applications are judged against its bars, so moving
# an opening to another role would silently change what its candidates were measured against.
OPENING_FIELDS = frozenset(
    {
        "title",
        "level",
        "team",
        "headcount",
        "hiring_manager",
        "status",
        # Planning dates, read by the time-to-fill forecast.
        "opened_on",
        "target_fill_date",
        "closed_on",
    }
)


def _opening_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - OPENING_FIELDS
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
    data = dict(fields)
    if "title" in data:
        data["title"] = (data["title"] or "").strip()
    return data


def _validate_opening(opening: Opening) -> None:
    try:
        opening.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def opening_create(
    *, role_profile: RoleProfile, fields: Mapping[str, Any], by: User = None
) -> Opening:
    """Open a position for an active role profile; ``fields`` holds any of ``OPENING_FIELDS``."""
    if not role_profile.is_active:
        raise ValidationError({"role": ["This role profile is retired."]})
    opening = Opening(
        role_profile=role_profile,
        **_opening_fields(fields),
        created_by=_actor(by),
        updated_by=_actor(by),
    )
    _validate_opening(opening)
    with transaction.atomic():
        opening.save()
        after = fields_of(opening, ["role_profile", *_opening_fields(fields)])
        event_record(
            type="opening.created",
            obj=opening,
            changes=changes_between({}, after),
            opening_ids=[opening.pk],
        )
    return opening


def opening_update(*, opening: Opening, fields: Mapping[str, Any], by: User = None) -> Opening:
    """Change the given ``OPENING_FIELDS`` and save only those. Validation runs before the save,
    but on the caller's instance: after a ``ValidationError`` the row is unchanged and the
    instance holds the refused values."""
    data = _opening_fields(fields)
    before = stored_fields_of(opening, data)
    for name, value in data.items():
        setattr(opening, name, value)
    _validate_opening(opening)
    changes = changes_between(before, fields_of(opening, data))
    if not changes:
        return opening  # the same values again: nothing changed, nothing is written
    opening.updated_by = _actor(by)
    with transaction.atomic():
        opening.save(update_fields=[*changes, "updated_by", "updated_at"])
        event_record(type="opening.updated", obj=opening, changes=changes, opening_ids=[opening.pk])
    return opening
