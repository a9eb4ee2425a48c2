"""Admin for what a role needs: competencies and their rubrics, role profiles with their bars
edited inline, and the frozen bar versions (read-only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Max, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from core.admin import ReadOnlyModelAdmin
from hiring import services
from hiring.admin.forms import TextListField
from hiring.models import BarVersion, Competency, Level, RoleBar, RoleProfile
from hiring.seed import INTERVIEW_STAGE_SLUGS


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "display_order", "profile_count"]
    search_fields = ["name", "slug", "description"]
    ordering = ["display_order", "name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "display_order"]}),
        ("Rubric: what each level looks like", {"fields": [f"level_{n}" for n in (1, 2, 3, 4)]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Competency]:
        queryset: QuerySet[Competency] = super().get_queryset(request)
        return queryset.annotate(profile_count=Count("bars"))

    @admin.display(description="role profiles", ordering="profile_count")
    def profile_count(self, obj: Competency) -> int:
        return int(obj.profile_count)  # type: ignore[attr-defined]


class RoleProfileForm(forms.ModelForm):
    sourcing_categories = TextListField(
        separator=",", help_text="arXiv categories, comma-separated: cs.LG, stat.ML"
    )
    sourcing_keywords = TextListField(help_text="One keyword or phrase per line.")
    interview_loop = TextListField(
        separator=",",
        help_text="Interview stages in order, comma-separated, from: "
        + ", ".join(INTERVIEW_STAGE_SLUGS),
    )

    class Meta:
        model = RoleProfile
        fields = [
            "title",
            "slug",
            "is_active",
            "summary",
            "delivers",
            "typical_background",
            "interview_loop",
            "sourcing_categories",
            "sourcing_keywords",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Seeded profiles carry a dozen or more keywords: show them all without scrolling.
        keywords = self.instance.sourcing_keywords if self.instance.pk else []
        self.fields["sourcing_keywords"].widget.attrs.update(
            {"rows": max(10, len(keywords) + 2), "cols": 60}
        )

    def clean_interview_loop(self) -> list[str]:
        loop: list[str] = self.cleaned_data["interview_loop"]
        unknown = [stage for stage in loop if stage not in INTERVIEW_STAGE_SLUGS]
        if unknown:
            raise forms.ValidationError(f"Unknown interview stage: {', '.join(unknown)}.")
        if len(set(loop)) != len(loop):
            raise forms.ValidationError("Each stage appears once in a loop.")
        return loop


class RoleBarFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            minimum, strength = data.get("minimum_level"), data.get("strength_level")
            if minimum and strength and strength < minimum:
                form.add_error(
                    "strength_level", "A strength is expected at or above the minimum bar."
                )


class RoleBarInline(admin.TabularInline):
    model = RoleBar
    formset = RoleBarFormSet
    fields = ["competency", "minimum_level", "strength_level"]
    extra = 0
    verbose_name = "bar"
    verbose_name_plural = "bars (minimum per competency; strength = hypothesis to validate)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleBar]:
        # Each row prints its RoleBar, which names the profile and the competency.
        return super().get_queryset(request).select_related("role_profile", "competency")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        # Every row's select would list the competencies with its own query; evaluate them once
        # per request (the form class is built per request, so nothing goes stale).
        field = formset.form.base_fields["competency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.choices = list(field.iterator(field))
        return formset

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        # A new profile starts with one row per competency (see RoleProfileAdmin
        # .get_formset_kwargs); rows left without a minimum are not saved.
        return Competency.objects.count() if obj is None else 0


_VERSION_COLUMNS: list[Any] = ["number", "created_at", "created_by", "application_count", "summary"]
_VERSION_FIELDS: list[Any] = ["role_profile", "number", "created_at", "created_by", "bars_table"]


class BarVersionInline(admin.TabularInline):
    model = BarVersion
    fields = readonly_fields = _VERSION_COLUMNS
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "bar versions (frozen; applications keep the version they started on)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[BarVersion]:
        queryset: QuerySet[BarVersion] = super().get_queryset(request)
        return (
            queryset.select_related("created_by", "role_profile")
            .annotate(application_count=Count("applications"))
            .order_by("-number")
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="applications")
    def application_count(self, obj: BarVersion) -> int:
        return int(obj.application_count)  # type: ignore[attr-defined]

    @admin.display(description="bars")
    def summary(self, obj: BarVersion) -> str:
        return bars_summary(obj.bars)


def bars_summary(bars: list[dict[str, Any]]) -> str:
    """One line per version: ``ml-knowledge ≥3 (strength 4), ...``."""
    parts = []
    for bar in bars:
        text = f"{bar['competency']} ≥{bar['minimum_level']}"
        if bar.get("strength_level"):
            text += f" (strength {bar['strength_level']})"
        parts.append(text)
    return ", ".join(parts) or "no bars"


@admin.register(RoleProfile)
class RoleProfileAdmin(admin.ModelAdmin):
    form = RoleProfileForm
    list_display = [
        "title",
        "slug",
        "is_active",
        "current_version",
        "opening_count",
        "updated_at",
    ]
    list_filter = ["is_active"]
    # Explicit: the annotations group the query, which drops Meta.ordering.
    ordering = ["title"]
    search_fields = ["title", "slug", "summary", "typical_background"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RoleBarInline, BarVersionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "is_active"]}),
        ("Profile", {"fields": ["summary", "delivers", "typical_background"]}),
        ("Interviewing", {"fields": ["interview_loop"]}),
        ("Sourcing", {"fields": ["sourcing_categories", "sourcing_keywords"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleProfile]:
        queryset: QuerySet[RoleProfile] = super().get_queryset(request)
        return queryset.annotate(
            latest_version=Max("bar_versions__number"),
            opening_count=Count("openings", distinct=True),
        )

    @admin.display(description="bar version", ordering="latest_version")
    def current_version(self, obj: RoleProfile) -> str:
        number = obj.latest_version  # type: ignore[attr-defined]
        return f"v{number}" if number else "-"

    @admin.display(description="openings", ordering="opening_count")
    def opening_count(self, obj: RoleProfile) -> int:
        return int(obj.opening_count)  # type: ignore[attr-defined]

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Any, inline: Any, prefix: str
    ) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, RoleBarInline) and obj.pk is None:
            # Given on GET and POST alike, so a row whose competency was only pre-filled counts
            # as unchanged and is skipped instead of failing for a missing minimum.
            competencies = Competency.objects.values_list("pk", flat=True)
            kwargs["initial"] = [{"competency": pk} for pk in competencies]
        return kwargs

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """After the bars are saved, freeze them: a new BarVersion when they changed, nothing when
        they did not (the service compares with the latest version). Open applications keep the
        version they were created with."""
        super().save_related(request, form, formsets, change)
        profile: RoleProfile = form.instance
        if not profile.bars.exists() and not profile.bar_versions.exists():
            return  # nothing to freeze yet; version 1 comes with the first bars
        latest_before = profile.bar_versions.order_by("-number").first()
        version = services.role_profile_publish_bars(role_profile=profile, by=request.user)
        if latest_before is None or version.pk != latest_before.pk:
            self.message_user(
                request,
                f"Bars published as version {version.number} of {profile}. Applications already "
                "open keep the version they started on.",
                messages.SUCCESS,
            )


@admin.register(BarVersion)
class BarVersionAdmin(ReadOnlyModelAdmin):
    """Bar versions are history: created only by publishing a profile's bars, never edited."""

    list_display = ["__str__", "role_profile", "number", "created_at", "created_by", "app_count"]
    list_filter = ["role_profile"]
    ordering = ["role_profile__title", "-number"]
    list_select_related = ["role_profile", "created_by"]
    search_fields = ["role_profile__title", "role_profile__slug"]
    date_hierarchy = "created_at"
    fields = readonly_fields = _VERSION_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[BarVersion]:
        queryset: QuerySet[BarVersion] = super().get_queryset(request)
        return queryset.annotate(app_count=Count("applications"))

    @admin.display(description="applications", ordering="app_count")
    def app_count(self, obj: BarVersion) -> int:
        return int(obj.app_count)  # type: ignore[attr-defined]

    @admin.display(description="bars")
    def bars_table(self, obj: BarVersion) -> str:
        labels = dict(Level.choices)
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    bar["name"],
                    labels.get(bar["minimum_level"], bar["minimum_level"]),
                    labels.get(bar["strength_level"], "") if bar.get("strength_level") else "",
                )
                for bar in obj.bars
            ),
        )
        return format_html(
            "<table><thead><tr><th>Competency</th><th>Minimum</th><th>Strength to validate</th>"
            "</tr></thead><tbody>{}</tbody></table>",
            rows,
        )
