"""Query-string filters of the interviews API, as in ``hiring.filters``: they narrow querysets
the selectors already scoped to the requester, and a value that cannot be one (``?interview=x``,
an id past the largest BIGINT, an unknown stage) is a 400 with field errors before any query."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from core.api.filters import IdFilter, PrebuiltFilterSet, StrictBooleanFilter
from interviews import selectors
from interviews.models import (
    DebuggingSession,
    Interview,
    InterviewKit,
    InterviewStage,
    Scorecard,
    TakeHomeAssignment,
)


class KitFilter(PrebuiltFilterSet):
    role_profile = django_filters.CharFilter(
        field_name="role_profile__slug", help_text="Role slug."
    )
    stage = django_filters.ChoiceFilter(choices=InterviewStage.choices)

    class Meta:
        model = InterviewKit
        fields: list[str] = []


class InterviewFilter(PrebuiltFilterSet):
    mine = StrictBooleanFilter(
        method="_mine", help_text="Only interviews the caller takes part in (true/false)."
    )

    class Meta:
        model = Interview
        fields: list[str] = []

    def _mine(self, queryset: QuerySet[Interview], name: str, value: bool) -> QuerySet[Interview]:
        # Narrows what the view already scoped to the requester, as every filter here does.
        if not value:
            return queryset
        assigned = selectors.interviews_assigned_to(user=self.request.user)
        return queryset.filter(pk__in=assigned.values("pk"))


class ScorecardFilter(PrebuiltFilterSet):
    application = IdFilter(field_name="interview__application_id", help_text="Application id.")
    interview = IdFilter(field_name="interview_id", help_text="Interview id.")

    class Meta:
        model = Scorecard
        fields: list[str] = []


class TakeHomeAssignmentFilter(PrebuiltFilterSet):
    application = IdFilter(field_name="application_id", help_text="Application id.")

    class Meta:
        model = TakeHomeAssignment
        fields: list[str] = []


class DebuggingSessionFilter(PrebuiltFilterSet):
    application = IdFilter(field_name="application_id", help_text="Application id.")

    class Meta:
        model = DebuggingSession
        fields: list[str] = []
