from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from hiring.admin.applications import offer_open_applications_only
from interviews.admin.choices import PeopleChoiceField, chosen_application
from interviews.admin.scorecards import ReadOnlyInline
from interviews.models import (
    TakeHomeAssignment,
    TakeHomeCriterion,
    TakeHomeCriterionScore,
    TakeHomeGrade,
    TakeHomeTemplate,
)
from interviews.selectors import interviewer_choices, takehome_templates_for_application
from interviews.services.takehomes import takehome_assign


class CriterionInline(admin.TabularInline):
    model = TakeHomeCriterion
    extra = 0
    autocomplete_fields = ["competency"]


@admin.register(TakeHomeTemplate)
class TakeHomeTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "role_profile", "time_budget_minutes", "criteria_count", "is_active"]
    list_filter = ["role_profile", "is_active"]
    search_fields = ["title", "brief"]
    inlines = [CriterionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TakeHomeTemplate]:
        queryset: QuerySet[TakeHomeTemplate] = super().get_queryset(request)
        # Ordered again (an aggregate drops the model's order): the template search pages.
        return (
            queryset.select_related("role_profile")
            .annotate(criteria_total=Count("criteria"))
            .order_by("role_profile__title", "title", "pk")
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[TakeHomeTemplate], search_term: str
    ) -> tuple[QuerySet[TakeHomeTemplate], bool]:
        """In the take-home form's template search, with an application chosen (sent along by
        ``role_choices.js``): only the templates the service accepts for it."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        application = chosen_application(
            request, model_name="takehomeassignment", field_name="template"
        )
        if application is not None:
            queryset = takehome_templates_for_application(queryset, application_id=application)
        return queryset, duplicates

    @admin.display(description="criteria", ordering="criteria_total")
    def criteria_count(self, obj: TakeHomeTemplate) -> int:
        return getattr(obj, "criteria_total", 0)


class AssignForm(forms.ModelForm):
    """Adding an assignment sends it: the service draws the code and the link token. The
    application and the template are searched (``autocomplete_fields``), the template among
    those of the application's role (``role_choices.js``), the graders chosen as an interview's
    interviewers are."""

    link_expires_at = forms.SplitDateTimeField(
        required=False,
        widget=AdminSplitDateTime,
        help_text="Empty: the due time plus the configured grace period.",
    )

    class Meta:
        model = TakeHomeAssignment
        fields = ["application", "template", "due_at", "link_expires_at", "blind", "graders"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.created = takehome_assign(
                application=data["application"],
                template=data["template"],
                due_at=data["due_at"],
                link_expires_at=data.get("link_expires_at"),
                graders=data.get("graders") or [],
                blind=data.get("blind", True),
                by=getattr(self, "request_user", None),
            )
        except ValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return data


class GradeInline(ReadOnlyInline):
    model = TakeHomeGrade
    fields = ["grader", "status", "submitted_at", "notes"]
    readonly_fields = ["grader", "status", "submitted_at", "notes"]


# Nothing is sent for a closed application (``closed_application_error``).
offer_open_applications_only("interviews", "takehomeassignment", "application")


@admin.register(TakeHomeAssignment)
class TakeHomeAssignmentAdmin(admin.ModelAdmin):
    list_display = [
        "submission_code",
        "candidate",
        "template",
        "status",
        "due_at",
        "submitted_at",
        "grades_submitted",
    ]
    list_filter = ["status", "template", "blind"]
    search_fields = ["submission_code", "application__candidate__full_name", "template__title"]
    readonly_fields = [
        "application",
        "template",
        "submission_code",
        "status",
        "sent_at",
        "due_at",
        "link_expires_at",
        "submitted_at",
        "submission_file",
        "repository_url",
        "blind",
        "created_by",
    ]
    filter_horizontal = ["graders"]
    autocomplete_fields = ["application", "template"]
    inlines = [GradeInline]

    class Media:
        # After jquery.init.js, which makes ``django.jQuery`` (the merged media keep this order).
        js = ["admin/js/jquery.init.js", "interviews/admin/role_choices.js"]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Graders are chosen as an interview's interviewers are, on the add and change pages.
        if db_field.name == "graders":
            kwargs["queryset"] = interviewer_choices()
            kwargs["help_text"] = "They grade the work at /interviewer/ (blind: by its code only)."
            kwargs["form_class"] = PeopleChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[TakeHomeAssignment]:
        queryset: QuerySet[TakeHomeAssignment] = super().get_queryset(request)
        return queryset.select_related("template", "application__candidate").annotate(
            grades_done=Count("grades", filter=Q(grades__status=TakeHomeGrade.Status.SUBMITTED))
        )

    @admin.display(ordering="application__candidate__full_name")
    def candidate(self, obj: TakeHomeAssignment) -> str:
        return obj.application.candidate.full_name

    @admin.display(description="grades submitted", ordering="grades_done")
    def grades_submitted(self, obj: TakeHomeAssignment) -> int:
        return getattr(obj, "grades_done", 0)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = AssignForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user  # type: ignore[attr-defined]
        return form

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.inlines if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # Created by the service in AssignForm.clean; hand the admin that row.
        created = form.created
        form.instance = created.assignment
        # The admin's success message and log entry name ``obj``: make it the row just created.
        obj.pk = created.assignment.pk
        obj.refresh_from_db()
        obj._state.adding = False
        link = request.build_absolute_uri(reverse("takehome-submit", args=[created.token]))
        if created.message is not None:
            messages.info(
                request,
                f"The link is e-mailed to {created.message.to_address} (see the candidate's "
                "messages). It is not stored and is shown only this once: " + link,
            )
            return
        messages.warning(
            request,
            "The candidate has no e-mail address: send this link to them now; it is not stored "
            "and cannot be shown again: " + link,
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)


class ScoreInline(ReadOnlyInline):
    model = TakeHomeCriterionScore
    fields = ["criterion", "score", "comment"]
    readonly_fields = ["criterion", "score", "comment"]


@admin.register(TakeHomeGrade)
class TakeHomeGradeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "code", "grader", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["assignment__submission_code", "grader__username"]
    readonly_fields = ["assignment", "grader", "status", "notes", "submitted_at", "created_at"]
    inlines = [ScoreInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TakeHomeGrade]:
        queryset: QuerySet[TakeHomeGrade] = super().get_queryset(request)
        return queryset.select_related("assignment", "grader")

    @admin.display(ordering="assignment__submission_code")
    def code(self, obj: TakeHomeGrade) -> str:
        return obj.assignment.submission_code

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
