"""Candidate admin. Writes go through ``hiring.services.candidate_create``/``candidate_update``
so a duplicate GitHub login, external id, ORCID or email is a form error naming the existing
candidate, exactly as in the API, never a 500."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from core.admin import history_html
from hiring import selectors, services
from hiring.admin.forms import TextListField, adopt_saved, detached_copy, validate_with_service
from hiring.admin.messages import MessageInline
from hiring.admin.privacy import CandidatePrivacyAdmin, ErasedListFilter, NoticeListFilter
from hiring.models import Application, Candidate, CandidateEmail


class CandidateForm(forms.ModelForm):
    homepage = forms.URLField(max_length=500, required=False, assume_scheme="https")
    arxiv_name_forms = TextListField(
        label="arXiv name forms", help_text='One per line, as printed on arXiv: "Vaswani, Ashish".'
    )

    class Meta:
        model = Candidate
        fields = sorted(services.CANDIDATE_FIELDS)

    def service_fields(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in services.CANDIDATE_FIELDS
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        data = services.CandidateInput(self.service_fields(), emails=None)
        if self.instance.pk is None:
            validate_with_service(self, lambda: services.candidate_create(data=data))
        else:
            candidate = detached_copy(self.instance)
            validate_with_service(
                self, lambda: services.candidate_update(candidate=candidate, data=data)
            )
        return cleaned

    def validate_unique(self) -> None:
        # The service dry run in clean() already checked every natural key, with messages that
        # name the existing candidate; Django's generic constraint messages would repeat them.
        return


class CandidateEmailForm(forms.ModelForm):
    class Meta:
        model = CandidateEmail
        fields = ["email", "is_primary"]

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        others = CandidateEmail.objects.filter(email__iexact=email)
        if self.instance.candidate_id:
            others = others.exclude(candidate_id=self.instance.candidate_id)
        owner = others.values_list("candidate_id", flat=True).first()
        if owner is not None:
            # The service's wording, so admin and API read the same.
            raise forms.ValidationError(f"{email} belongs to candidate id {owner}.")
        return email

    def validate_unique(self) -> None:
        # clean_email checked the case-insensitive constraint with a message naming the owner.
        return


class CandidateEmailFormSet(BaseInlineFormSet):
    """Addresses are unique case-insensitively across candidates (checked per row by
    ``CandidateEmailForm``) and within this form: checked here, since two new rows differing only
    in case would otherwise reach the database. At most one is primary."""

    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        primaries = 0
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("email"):
                continue
            email = data["email"].strip().lower()
            if email in seen:
                form.add_error("email", "This address is listed twice.")
            seen.add(email)
            primaries += bool(data.get("is_primary"))
        if primaries > 1:
            raise forms.ValidationError("Only one address can be primary.")


class CandidateEmailInline(admin.TabularInline):
    model = CandidateEmail
    form = CandidateEmailForm
    formset = CandidateEmailFormSet
    fields = ["email", "is_primary"]
    extra = 1
    verbose_name_plural = "email addresses (the primary one is used for contact)"


_APPLICATION_COLUMNS: list[Any] = [
    "link",
    "opening",
    "role",
    "stage",
    "rejection_reason",
    "stage_changed_at",
    "bars",
]
_RECORD_FIELDS: list[Any] = ["created_by", "updated_by", "created_at", "updated_at"]


class ApplicationInline(admin.TabularInline):
    """The candidate's applications, read-only: they are opened from the application admin and
    moved between stages with its actions."""

    model = Application
    fields = readonly_fields = _APPLICATION_COLUMNS
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return (
            super()
            .get_queryset(request)
            # Each row prints its application, which names the candidate and the opening.
            .select_related("candidate", "opening__role_profile", "bar_version__role_profile")
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="application")
    def link(self, obj: Application) -> str:
        url = reverse("admin:hiring_application_change", args=[obj.pk])
        return format_html('<a href="{}">#{}</a>', url, obj.pk)

    @admin.display(description="role")
    def role(self, obj: Application) -> str:
        return obj.opening.role_profile.title

    @admin.display(description="bar version")
    def bars(self, obj: Application) -> str:
        return f"v{obj.bar_version.number}"


_PRIVACY_FIELDS = [
    "sourced_at",
    "notice_due_at",
    "notice_sent_at",
    "objected_at",
    "objection",
    "erased_at",
]


@admin.register(Candidate)
class CandidateAdmin(CandidatePrivacyAdmin):
    form = CandidateForm
    inlines = [CandidateEmailInline, ApplicationInline, MessageInline]
    list_display = [
        "full_name",
        "primary_email",
        "github_login",
        "source",
        "notice_state",
        "notice_due_at",
        "consent_state",
        "application_count",
        "created_at",
    ]
    list_filter = [
        "source",
        NoticeListFilter,
        "notice_state",
        "consent_state",
        ErasedListFilter,
        "created_at",
        ("merged_into", admin.EmptyFieldListFilter),
    ]
    actions = ["merge_duplicates", "send_notices", "export_person", "erase_person"]
    search_fields = [
        "full_name",
        "emails__email",
        "github_login",
        "external_id",
        "orcid",
        "openreview_id",
        "semantic_scholar_id",
    ]
    date_hierarchy = "created_at"
    ordering = ["-id"]
    readonly_fields = [*_RECORD_FIELDS, *_PRIVACY_FIELDS, "merged_into", "history"]
    fieldsets = [
        (None, {"fields": ["full_name", "homepage", "source", "source_evidence"]}),
        (
            "Identifiers (unique; leave blank when unknown)",
            {
                "fields": [
                    "github_login",
                    "external_id",
                    "orcid",
                    "openreview_id",
                    "semantic_scholar_id",
                    "arxiv_name_forms",
                ]
            },
        ),
        (
            "Data protection",
            {
                "fields": ["notice_state", "consent_state", *_PRIVACY_FIELDS],
                "description": "People found in public data must be told within a month "
                "(GDPR Art. 14). Use the buttons above to send the notice, record an "
                "objection, export or erase; candidates are erased, never deleted.",
            },
        ),
        ("Duplicates", {"fields": ["merged_into"], "classes": ["collapse"]}),
        ("Record", {"fields": _RECORD_FIELDS, "classes": ["collapse"]}),
        ("History", {"fields": ["history"], "classes": ["collapse"]}),
    ]

    @admin.action(
        description="Merge the two selected duplicates into the older", permissions=["change"]
    )
    def merge_duplicates(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        pair = list(queryset.order_by("pk")[:3])
        if len(pair) != 2:  # noqa: PLR2004  # a merge is of one duplicate into one survivor
            self.message_user(request, "Select exactly two candidates to merge.", messages.WARNING)
            return
        target, source = pair
        try:
            services.candidate_merge(target=target, source=source, by=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        self.message_user(
            request,
            format_html(
                'Merged {} (#{}) into <a href="{}">{} (#{})</a>.',
                source.full_name,
                source.pk,
                reverse("admin:hiring_candidate_change", args=[target.pk]),
                target.full_name,
                target.pk,
            ),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Candidate | None = None) -> bool:
        # Deleting would take the history away and let sourcing create the person again:
        # erasure (the button on the candidate's page) replaces it.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Candidate | None = None) -> bool:
        if obj is not None and obj.erased_at is not None:
            return False  # nothing personal is left to edit; the record is pseudonymous
        return super().has_change_permission(request, obj)

    @admin.display(description="changes, newest first")
    def history(self, obj: Candidate) -> str:
        return history_html(object_type="candidate", object_id=obj.pk) if obj.pk else "—"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Candidate]:
        primary_email = (
            CandidateEmail.objects.filter(candidate=OuterRef("pk"))
            .order_by("-is_primary", "id")
            .values("email")[:1]
        )
        return (
            selectors.candidates_visible_to(user=request.user)
            .annotate(
                primary_email_address=Subquery(primary_email),
                application_count=Count("applications", distinct=True),
            )
            .order_by(*self.get_ordering(request))
        )

    @admin.display(description="email", ordering="primary_email_address")
    def primary_email(self, obj: Candidate) -> str:
        return obj.primary_email_address or ""  # type: ignore[attr-defined]

    @admin.display(description="applications", ordering="application_count")
    def application_count(self, obj: Candidate) -> str:
        count = obj.application_count  # type: ignore[attr-defined]
        if not count:
            return "0"
        url = reverse("admin:hiring_application_changelist") + f"?candidate__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, count)

    def save_model(self, request: HttpRequest, obj: Candidate, form: Any, change: bool) -> None:
        data = services.CandidateInput(form.service_fields(), emails=None)
        if change:
            services.candidate_update(candidate=obj, data=data, by=request.user)
        else:
            adopt_saved(obj, services.candidate_create(data=data, by=request.user))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        candidate: Candidate = form.instance
        before = services.candidate_email_list(candidate=candidate) if change else []
        super().save_related(request, form, formsets, change)
        # Keep the service's invariant: a candidate with addresses has a primary one.
        emails = candidate.emails.order_by("-is_primary", "id")
        first = emails.first()
        if first is not None and not first.is_primary:
            emails.filter(pk=first.pk).update(is_primary=True)
        # The address inline writes rows itself; the change is recorded as the service would.
        services.candidate_emails_changed(candidate=candidate, before=before, by=request.user)
