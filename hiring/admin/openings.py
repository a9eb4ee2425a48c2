"""Opening admin: the positions being hired for, with their pipeline counts. Writes go through
``hiring.services.opening_create``/``opening_update``, like the API's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from core.admin import history_html
from hiring import selectors, services
from hiring.admin.forms import adopt_saved, detached_copy, validate_with_service
from hiring.models import Opening

# The service reports a retired profile under the API's field name.
_ERROR_ALIASES = {"role": "role_profile"}


_OPENING_FORM_FIELDS = (
    "title",
    "role_profile",
    "level",
    "team",
    "headcount",
    "hiring_manager",
    "status",
    "opened_on",
    "target_fill_date",
    "closed_on",
)


class OpeningForm(forms.ModelForm):
    class Meta:
        model = Opening
        fields = _OPENING_FORM_FIELDS

    def service_fields(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in services.OPENING_FIELDS
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        if self.instance.pk is None:
            role_profile = cleaned["role_profile"]
            validate_with_service(
                self,
                lambda: services.opening_create(
                    role_profile=role_profile, fields=self.service_fields()
                ),
                aliases=_ERROR_ALIASES,
            )
        else:
            opening = detached_copy(self.instance)
            validate_with_service(
                self,
                lambda: services.opening_update(opening=opening, fields=self.service_fields()),
                aliases=_ERROR_ALIASES,
            )
        return cleaned


@admin.register(Opening)
class OpeningAdmin(admin.ModelAdmin):
    form = OpeningForm
    list_display = [
        "title",
        "role_profile",
        "level",
        "team",
        "status",
        "hiring_manager",
        "headcount",
        "pipeline",
        "created_at",
    ]
    list_filter = ["status", "level", "role_profile", "team", "created_at"]
    search_fields = ["title", "team", "role_profile__title", "hiring_manager__username"]
    autocomplete_fields = ["role_profile"]
    date_hierarchy = "created_at"
    # Explicit because the count annotations group the query, and Django drops Meta.ordering
    # from grouped queries (autocomplete pages would come back unordered).
    ordering = ["-created_at", "-id"]
    fields = _OPENING_FORM_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Opening]:
        in_progress = ~Q(applications__stage__in=services.FINAL_STAGES)
        return (
            selectors.openings_visible_to(user=request.user)
            .annotate(
                application_count=Count("applications"),
                active_count=Count("applications", filter=in_progress),
            )
            .order_by(*self.get_ordering(request))
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Opening], search_term: str
    ) -> tuple[QuerySet[Opening], bool]:
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Picking the opening of a new application: closed ones would only be refused on save.
        if request.GET.get("model_name") == "application" and (
            request.GET.get("field_name") == "opening"
        ):
            queryset = queryset.exclude(status=Opening.Status.CLOSED)
        return queryset, may_have_duplicates

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Applications are judged against the role's bars, so the role is chosen once.
        return ["role_profile", "pipeline", "history"] if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # An opening's page leads to its applications, as its row in the list does.
        if obj is not None:
            return [*_OPENING_FORM_FIELDS, "pipeline", "history"]
        return list(_OPENING_FORM_FIELDS)

    @admin.display(description="history (newest first)")
    def history(self, obj: Opening) -> str:
        return history_html(object_type="opening", object_id=obj.pk)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "hiring_manager":
            # A plain select of active users: recruiters hold no permission on the user admin,
            # which an autocomplete widget would need.
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_active=True).order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Opening, form: Any, change: bool) -> None:
        fields = form.service_fields()
        if change:
            services.opening_update(opening=obj, fields=fields, by=request.user)
        else:
            adopt_saved(
                obj,
                services.opening_create(
                    role_profile=form.cleaned_data["role_profile"], fields=fields, by=request.user
                ),
            )

    @admin.display(description="applications (in progress / all)", ordering="application_count")
    def pipeline(self, obj: Opening) -> str:
        url = reverse("admin:hiring_application_changelist") + f"?opening={obj.pk}"
        return format_html(
            '<a href="{}">{} / {}</a>',
            url,
            obj.active_count,  # type: ignore[attr-defined]
            obj.application_count,  # type: ignore[attr-defined]
        )
