"""Query strings of the analytics API, checked strictly: an unknown parameter, a malformed or
impossible date, an unknown role, source or opening is a 400 naming the parameter, before any
query of the history runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from analytics.history import SOURCES
from analytics.selectors import FunnelFilters
from core.api.filters import MAX_ID
from core.requester import User
from hiring.models import RoleProfile
from hiring.selectors import openings_visible_to


def _refuse_unknown(query: QueryDict, allowed: set[str]) -> None:
    unknown = sorted(set(query) - allowed)
    if unknown:
        raise ValidationError({name: ["Unknown parameter."] for name in unknown})


def _errors(form: forms.Form) -> ValidationError:
    return ValidationError({field: list(errors) for field, errors in form.errors.items()})


class FunnelQuery(forms.Form):
    role = forms.SlugField(required=False, help_text="Role slug.")
    opening = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    source = forms.ChoiceField(required=False, choices=SOURCES)
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Must not be before date_from.")
        return data


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def funnel_filters(*, query: QueryDict, user: User) -> FunnelFilters:
    """The funnel's filters from a query string; applications created from ``date_from`` to
    ``date_to`` inclusive. An opening the requester may not see is unknown, as in the API."""
    _refuse_unknown(query, set(FunnelQuery.base_fields))
    form = FunnelQuery(query)
    if not form.is_valid():
        raise _errors(form)
    data = form.cleaned_data
    role = None
    if data["role"]:
        role = RoleProfile.objects.filter(slug=data["role"]).first()
        if role is None:
            raise ValidationError({"role": [f'No role "{data["role"]}".']})
    opening = None
    if data["opening"]:
        opening = openings_visible_to(user=user).filter(pk=data["opening"]).first()
        if opening is None:
            raise ValidationError({"opening": ["Unknown opening."]})
    return FunnelFilters(
        role=role,
        opening=opening,
        source=data["source"] or None,
        created_from=_start_of(data["date_from"]) if data["date_from"] else None,
        created_before=(
            _start_of(data["date_to"] + dt.timedelta(days=1)) if data["date_to"] else None
        ),
    )


def calibration_role(*, query: QueryDict) -> RoleProfile | None:
    _refuse_unknown(query, {"role"})
    slug = query.get("role")
    if not slug:
        return None
    role = RoleProfile.objects.filter(slug=slug).first()
    if role is None:
        raise ValidationError({"role": [f'No role "{slug}".']})
    return role


def no_parameters(*, query: QueryDict) -> None:
    _refuse_unknown(query, set())
