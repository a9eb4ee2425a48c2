"""Application admin, where recruiters run the pipeline: filter by stage, opening and role, then
move or reject the selected applications from the changelist's action bar (stage, rejection
reason and note sit next to the action, so no intermediate page). Moves and creation go through
the same services as the API; the stage is never edited by hand. Stage history is read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from core.admin import ReadOnlyModelAdmin, history_html
from hiring import selectors, services
from hiring.admin.forms import adopt_saved, validate_with_service
from hiring.models import (
    Application,
    Opening,
    RejectionReason,
    RoleProfile,
    Stage,
    StageChange,
)

# More error lines than this in one bulk action are summarised, so a select-all mistake does not
# bury the page in messages.
MAX_ERROR_MESSAGES = 20


class TransitionChoice(forms.Form):
    """The inputs of a stage move, shown in the changelist's action bar."""

    to_stage = forms.ChoiceField(
        label="To stage:", choices=[("", "---------"), *Stage.choices], required=False
    )
    rejection_reason = forms.ChoiceField(
        label="Rejection reason:",
        choices=[("", "---------"), *RejectionReason.choices],
        required=False,
    )
    reason = forms.CharField(
        label="Note:",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "kept in the stage history", "size": 30}),
    )


class StageMoveForm(forms.Form):
    """Move or reject one application from its own page: only its legal next stages are
    offered; the service still decides."""

    to_stage = forms.ChoiceField(label="To stage", required=False)
    rejection_reason = forms.ChoiceField(
        label="Rejection reason",
        choices=[("", "---------"), *RejectionReason.choices],
        required=False,
    )
    reason = forms.CharField(
        label="Note",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "kept in the stage history", "size": 40}),
    )

    def __init__(self, *args: Any, stage: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = services.allowed_next_stages(stage)
        to_stage = self.fields["to_stage"]
        assert isinstance(to_stage, forms.ChoiceField)
        to_stage.choices = [
            (value, label)
            for value, label in Stage.choices
            if value in allowed and value != Stage.REJECTED
        ]
        self.can_reject = Stage.REJECTED in allowed


class ApplicationActionForm(ActionForm, TransitionChoice):
    field_order = ["action", "to_stage", "rejection_reason", "reason"]


class PipelineFilter(admin.SimpleListFilter):
    title = "pipeline"
    parameter_name = "pipeline"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("active", "In progress"), ("closed", "Closed (hired, rejected, withdrawn)")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "active":
            return queryset.exclude(stage__in=services.FINAL_STAGES)
        if self.value() == "closed":
            return queryset.filter(stage__in=services.FINAL_STAGES)
        return queryset


def illegal_move_message(application: Application, to_stage: str) -> str | None:
    """The admin's words for a move ``services.allowed_next_stages`` forbids, with stage labels
    ("Take-home", not ``take_home``); None when the move is legal. The service still checks."""
    allowed = services.allowed_next_stages(application.stage)
    if to_stage in allowed:
        return None
    labels = dict(Stage.choices)
    current = labels.get(application.stage, application.stage)
    target = labels.get(to_stage, to_stage)
    if not allowed:
        return f"it is {current}, a final stage."
    options = ", ".join(label for value, label in Stage.choices if value in allowed)
    return f"cannot move from {current} to {target}; it can move to {options}."


class RoleFilter(admin.SimpleListFilter):
    """Every role profile, even when only one has applications yet (Django's related filters
    hide themselves below two choices, which left a new team without the filter)."""

    title = "role"
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(RoleProfile.objects.order_by("title").values_list("slug", "title"))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(opening__role_profile__slug=self.value())
        return queryset


class OpeningFilter(admin.SimpleListFilter):
    title = "opening"
    parameter_name = "opening"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            (str(pk), title)
            for pk, title in Opening.objects.order_by("title", "id").values_list("pk", "title")
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(opening_id=int(value))
        return queryset


class OpeningStatusFilter(admin.SimpleListFilter):
    # Named for what it filters: a bare "status" read as the application's own.
    title = "opening status"
    parameter_name = "opening_status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(Opening.Status.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(opening__status=self.value())
        return queryset


_HISTORY_COLUMNS: list[Any] = [
    "created_at",
    "from_stage",
    "to_stage",
    "rejection_reason",
    "reason",
    "actor",
]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    fields = readonly_fields = _HISTORY_COLUMNS
    extra = 0
    can_delete = False
    verbose_name_plural = "stage history"

    def get_queryset(self, request: HttpRequest) -> QuerySet[StageChange]:
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ApplicationAddForm(forms.ModelForm):
    reason = forms.CharField(
        label="Note", required=False, help_text="Why this candidate; kept in the stage history."
    )

    class Meta:
        model = Application
        fields = ["candidate", "opening"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors:
            validate_with_service(
                self,
                lambda: services.application_create(
                    candidate=cleaned["candidate"], opening=cleaned["opening"]
                ),
            )
        return cleaned

    def validate_unique(self) -> None:
        # The service dry run reports "already applied" in the API's words.
        return

    def _get_validation_exclusions(self) -> set[str]:
        # Nor may the model's unique constraint on (candidate, opening) repeat it in Django's
        # words: one duplicate, one error. (Private in Django, hence absent from the stubs.)
        exclusions: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        return {*exclusions, "candidate", "opening"}


# The forms whose application search offers open applications only, by (app label, model,
# field) as the admin's autocomplete view is asked: a closed one would be refused on saving.
# Registered by the apps that own those forms (``offer_open_applications_only``).
_OPEN_ONLY: set[tuple[str, str, str]] = set()


def offer_open_applications_only(app_label: str, model_name: str, field_name: str) -> None:
    """Make that form's application search leave out hired, rejected and withdrawn ones."""
    _OPEN_ONLY.add((app_label, model_name, field_name))


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "candidate",
        "opening",
        "role",
        "stage",
        "rejection_reason",
        "stage_changed_at",
        "bars",
        "created_at",
    ]
    list_filter = [
        "stage",
        PipelineFilter,
        "rejection_reason",
        RoleFilter,
        OpeningFilter,
        OpeningStatusFilter,
    ]
    search_fields = [
        "candidate__full_name",
        "candidate__emails__email",
        "candidate__github_login",
        "opening__title",
    ]
    autocomplete_fields = ["candidate", "opening"]
    date_hierarchy = "created_at"
    action_form = ApplicationActionForm
    actions = ["move_to_stage", "reject"]
    inlines = [StageChangeInline]
    readonly_fields = [
        "candidate",
        "opening",
        "bar_version",
        "stage",
        "rejection_reason",
        "stage_changed_at",
        "next_stages",
        "created_by",
        "created_at",
        "history",
    ]

    def get_urls(self) -> list[URLPattern]:
        move = path(
            "<path:object_id>/move/",
            self.admin_site.admin_view(self.move_view),
            name="hiring_application_move",
        )
        return [move, *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        application = self.get_object(request, object_id)
        # Every field and inline here is read-only: "Save" buttons would do nothing. The page
        # moves the application with its own form instead.
        extra_context = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            **(extra_context or {}),
        }
        if application is not None and self.has_change_permission(request, application):
            extra_context["stage_move_form"] = StageMoveForm(stage=application.stage)
            extra_context["stage_move_closed"] = application.stage in services.FINAL_STAGES
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _change_url(application: Application) -> str:
        return reverse("admin:hiring_application_change", args=[application.pk])

    def move_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The buttons on the application page: "Move" to the chosen stage, or "Reject" with a
        reason; both through ``services.application_transition``, like the bulk actions."""
        return require_POST(self._move)(request, object_id)

    def _move(self, request: HttpRequest, object_id: str) -> HttpResponse:
        application = self.get_object(request, object_id)
        if application is None:
            raise Http404
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        form = StageMoveForm(request.POST, stage=application.stage)
        rejecting = request.POST.get("transition") == "reject"
        if not form.is_valid():
            errors = "; ".join(
                f"{form[k].label}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items()
            )
            self.message_user(request, f"Nothing was changed. {errors}", messages.ERROR)
            return HttpResponseRedirect(self._change_url(application))
        data = form.cleaned_data
        if rejecting and not data["rejection_reason"]:
            self.message_user(
                request, "Choose a rejection reason to reject; nothing was changed.", messages.ERROR
            )
            return HttpResponseRedirect(self._change_url(application))
        if not rejecting and not data["to_stage"]:
            self.message_user(request, "Choose the stage to move to.", messages.ERROR)
            return HttpResponseRedirect(self._change_url(application))
        to_stage = Stage.REJECTED if rejecting else data["to_stage"]
        if problem := illegal_move_message(application, to_stage):
            self.message_user(request, f"Not moved: {problem}", messages.ERROR)
            return HttpResponseRedirect(self._change_url(application))
        try:
            services.application_transition(
                application=application,
                to_stage=to_stage,
                by=request.user,
                reason=data["reason"],
                rejection_reason=data["rejection_reason"] if rejecting else "",
            )
        except ValidationError as exc:
            self.message_user(request, "Not moved: " + " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(request, f"Moved to {Stage(to_stage).label}.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(application))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        # The selector scopes to what the requester may see and joins what list_display shows.
        return selectors.applications_visible_to(user=request.user)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Application], search_term: str
    ) -> tuple[QuerySet[Application], bool]:
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        asked = (
            request.GET.get("app_label", ""),
            request.GET.get("model_name", ""),
            request.GET.get("field_name", ""),
        )
        if asked in _OPEN_ONLY:
            queryset = queryset.exclude(stage__in=services.FINAL_STAGES)
        return queryset, may_have_duplicates

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = ApplicationAddForm
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description="recorded changes (newest first)")
    def history(self, obj: Application) -> str:
        return history_html(object_type="application", object_id=obj.pk)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["candidate", "opening", "reason"]
        return list(self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else []

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return list(self.inlines) if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Application, form: Any, change: bool) -> None:
        if change:
            return  # every field is read-only; stages move through the actions
        application = services.application_create(
            candidate=form.cleaned_data["candidate"],
            opening=form.cleaned_data["opening"],
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
        adopt_saved(obj, application)

    @admin.display(description="role", ordering="opening__role_profile__title")
    def role(self, obj: Application) -> str:
        return obj.opening.role_profile.title

    @admin.display(description="bars", ordering="bar_version__number")
    def bars(self, obj: Application) -> str:
        url = reverse("admin:hiring_barversion_change", args=[obj.bar_version_id])
        return format_html('<a href="{}">v{}</a>', url, obj.bar_version.number)

    @admin.display(description="can move to")
    def next_stages(self, obj: Application) -> str:
        allowed = services.allowed_next_stages(obj.stage)
        labels = [label for value, label in Stage.choices if value in allowed]
        return ", ".join(labels) or "nothing: this stage is final"

    # --- bulk actions ---------------------------------------------------------------------------

    @admin.action(
        description="Move selected applications to the chosen stage", permissions=["change"]
    )
    def move_to_stage(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        choice = TransitionChoice(request.POST)
        if not choice.is_valid() or not choice.cleaned_data["to_stage"]:
            self.message_user(request, "Choose the stage to move to.", messages.WARNING)
            return
        data = choice.cleaned_data
        if data["rejection_reason"] and data["to_stage"] != Stage.REJECTED:
            self.message_user(
                request,
                "A rejection reason goes with a rejection; clear it or use "
                "“Reject selected applications”. Nothing was changed.",
                messages.ERROR,
            )
            return
        self._transition(request, queryset, **data)

    @admin.action(
        description="Reject selected applications (choose a rejection reason)",
        permissions=["change"],
    )
    def reject(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        choice = TransitionChoice(request.POST)
        chosen_stage = choice.data.get("to_stage") or ""
        if chosen_stage and chosen_stage != Stage.REJECTED:
            # Silently rejecting someone the recruiter meant to move would be the worse mistake.
            label = dict(Stage.choices).get(chosen_stage, chosen_stage)
            self.message_user(
                request,
                f"“Reject” moves to Rejected, but “To stage” says {label}: clear it to reject, "
                "or use “Move selected applications to the chosen stage”. Nothing was changed.",
                messages.ERROR,
            )
            return
        if not choice.is_valid() or not choice.cleaned_data["rejection_reason"]:
            self.message_user(
                request,
                "Choose a rejection reason to reject applications; nothing was changed.",
                messages.ERROR,
            )
            return
        self._transition(
            request,
            queryset,
            to_stage=Stage.REJECTED,
            rejection_reason=choice.cleaned_data["rejection_reason"],
            reason=choice.cleaned_data["reason"],
        )

    def _transition(
        self,
        request: HttpRequest,
        queryset: QuerySet[Application],
        *,
        to_stage: str,
        rejection_reason: str,
        reason: str,
    ) -> None:
        applications = {a.pk: a for a in queryset.select_related("candidate", "opening")}
        errors: dict[int, list[str]] = {}
        legal = []
        for application in applications.values():
            if problem := illegal_move_message(application, to_stage):
                errors[application.pk] = [problem[0].upper() + problem[1:]]
            else:
                legal.append(application)
        moved, refused = services.applications_transition_many(
            applications=legal,
            to_stage=to_stage,
            by=request.user,
            reason=reason,
            rejection_reason=rejection_reason,
        )
        errors.update(refused)
        label = Stage(to_stage).label
        if moved:
            self.message_user(
                request, f"Moved {len(moved)} of {len(applications)} to {label}.", messages.SUCCESS
            )
        for pk, problems in list(errors.items())[:MAX_ERROR_MESSAGES]:
            problem = " ".join(problems)
            self.message_user(
                request, f"{applications[pk]} (#{pk}) not moved: {problem}", messages.ERROR
            )
        if len(errors) > MAX_ERROR_MESSAGES:
            self.message_user(
                request,
                f"… and {len(errors) - MAX_ERROR_MESSAGES} more applications not moved.",
                messages.ERROR,
            )


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyModelAdmin):
    """The append-only history of stage moves, for audit; nothing here can be edited."""

    list_display = [
        "created_at",
        "application",
        "from_stage",
        "to_stage",
        "rejection_reason",
        "actor",
    ]
    list_filter = ["to_stage", "from_stage", "rejection_reason"]
    list_select_related = ["application__candidate", "application__opening", "actor"]
    search_fields = [
        "application__candidate__full_name",
        "application__opening__title",
        "reason",
    ]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
