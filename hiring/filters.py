"""Query-string filters of the hiring API. They narrow a queryset the selectors already scoped to
the requester; invalid values (an unknown stage, a non-numeric id, a malformed date) are 400s
with field errors, raised by django-filter's form before any query runs."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_filters.constants import EMPTY_VALUES

from core.api.filters import (
    BoundedIsoDateTimeFilter,
    IdFilter,
    PrebuiltFilterSet,
    StrictBooleanFilter,
)
from hiring import selectors
from hiring.models import Application, Candidate, CandidateEmail, Opening, Stage
from hiring.services.notices import NOTICE_FILTERS, candidates_by_notice


class OpeningFilter(PrebuiltFilterSet):
    status = django_filters.ChoiceFilter(choices=Opening.Status.choices)
    role = django_filters.CharFilter(field_name="role_profile__slug", help_text="Role slug.")
    level = django_filters.ChoiceFilter(choices=Opening.Level.choices)

    class Meta:
        model = Opening
        fields: list[str] = []


class ApplicationFilter(PrebuiltFilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    opening = IdFilter(field_name="opening_id", help_text="Opening id.")
    candidate = IdFilter(field_name="candidate_id", help_text="Candidate id.")
    role = django_filters.CharFilter(
        field_name="opening__role_profile__slug", help_text="Role slug of the opening."
    )

    class Meta:
        model = Application
        fields: list[str] = []


# Filters on a candidate's applications; combined, they must hold for the same application.
_APPLICATION_LOOKUPS = {
    "role": "opening__role_profile__slug",
    "opening": "opening_id",
    "stage": "stage",
}


class CandidateFilter(PrebuiltFilterSet):
    source = django_filters.ChoiceFilter(choices=Candidate.Source.choices)
    notice_state = django_filters.ChoiceFilter(choices=Candidate.NoticeState.choices)
    notice = django_filters.ChoiceFilter(
        choices=list(NOTICE_FILTERS.items()),
        method="filter_notice",
        help_text="The GDPR Art. 14 notice clock: overdue (pending past its due time), due "
        "(pending, due within a week), or a notice state. Erased people are never listed here.",
    )
    erased = StrictBooleanFilter(method="filter_erased", help_text="Erased (true) or not (false).")
    consent_state = django_filters.ChoiceFilter(choices=Candidate.ConsentState.choices)
    role = django_filters.CharFilter(help_text="Has an application for an opening of this role.")
    opening = IdFilter(help_text="Has an application to this opening (id).")
    stage = django_filters.ChoiceFilter(
        choices=Stage.choices, help_text="Has an application in this stage."
    )
    updated_after = BoundedIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Changed at or after this ISO 8601 time (inclusive, so a sync never misses one).",
    )
    created_after = BoundedIsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="Created at or after this time."
    )
    has_github = StrictBooleanFilter(
        method="filter_has_github", help_text="Has (true) or lacks (false) a GitHub login."
    )
    search = django_filters.CharFilter(
        method="filter_search",
        help_text="Case-insensitive substring of the name, an email, the GitHub login or the "
        "external id.",
    )

    class Meta:
        model = Candidate
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Applies the application filters as one ``id IN (subquery)``: a join would repeat a
        candidate once per matching application, and ``DISTINCT`` would defeat the cursor's
        index scan. The subquery reads only applications the requester may see, so a hiring
        manager cannot learn where a candidate stands in someone else's opening."""
        on_applications: dict[str, Any] = {}
        for name, value in self.form.cleaned_data.items():
            if name in _APPLICATION_LOOKUPS:
                if value not in EMPTY_VALUES:
                    on_applications[_APPLICATION_LOOKUPS[name]] = value
            else:
                queryset = self.filters[name].filter(queryset, value)
        if on_applications:
            applications = selectors.applications_visible_to(user=self.request.user)
            queryset = queryset.filter(
                pk__in=applications.filter(**on_applications).values("candidate_id")
            )
        return queryset

    def filter_notice(
        self, queryset: QuerySet[Candidate], name: str, value: str
    ) -> QuerySet[Candidate]:
        return candidates_by_notice(queryset, value) if value else queryset

    def filter_erased(
        self, queryset: QuerySet[Candidate], name: str, value: bool
    ) -> QuerySet[Candidate]:
        return queryset.filter(erased_at__isnull=not value)

    def filter_has_github(
        self, queryset: QuerySet[Candidate], name: str, value: bool
    ) -> QuerySet[Candidate]:
        return queryset.filter(github_login__isnull=not value)

    def filter_search(
        self, queryset: QuerySet[Candidate], name: str, value: str
    ) -> QuerySet[Candidate]:
        term = value.strip()
        if not term:
            return queryset
        # EXISTS rather than a join on emails: one row per candidate, no DISTINCT needed.
        email_matches = CandidateEmail.objects.filter(
            candidate=OuterRef("pk"), email__icontains=term
        )
        return queryset.filter(
            Q(full_name__icontains=term)
            | Q(github_login__icontains=term)
            | Q(external_id__icontains=term)
            | Exists(email_matches)
        )
