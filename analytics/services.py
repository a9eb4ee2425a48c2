"""The one write analytics makes: an opening's planning dates, which the forecast reads. Kept
here (not in hiring's opening services, whose field list does not carry them yet) so the
recruiter can set them from the forecast page; the check on the order of the dates is the
model's constraint, reported as a field error before the database is asked."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from core.requester import Actor, actor
from hiring.models import Opening


def opening_dates_set(
    *,
    opening: Opening,
    opened_on: dt.date | None,
    target_fill_date: dt.date | None,
    closed_on: dt.date | None,
    by: Actor = None,
) -> Opening:
    """Set the three dates (None clears one). Raises ``ValidationError`` naming ``closed_on``
    when it is before ``opened_on``, and ``target_fill_date`` when it is before ``opened_on``."""
    errors: dict[str, list[str]] = {}
    if opened_on and closed_on and closed_on < opened_on:
        errors["closed_on"] = ["Must not be before the day the opening opened."]
    if opened_on and target_fill_date and target_fill_date < opened_on:
        errors["target_fill_date"] = ["Must not be before the day the opening opened."]
    if errors:
        raise ValidationError(errors)
    opening.opened_on = opened_on
    opening.target_fill_date = target_fill_date
    opening.closed_on = closed_on
    opening.updated_by = actor(by)
    opening.save(
        update_fields=["opened_on", "target_fill_date", "closed_on", "updated_by", "updated_at"]
    )
    return opening
