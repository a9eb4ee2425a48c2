"""Admin for re-implementation sourcing. Rows are written by runs (services), so these pages read
and start runs; they never create implementations by hand.

The candidate page gains the candidate's GitHub accounts and repositories (an inline).
Actions: "find re-implementations" on openings (top papers of the role) and on papers (when the
arXiv app registers a Paper admin), "search these papers again" on implementations, "resume" on
failed runs."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from core.admin import extend_admin
from hiring.models import Candidate, Opening
from sourcing.admin.run_controls import RunControlsMixin
from sourcing.github import launch, selectors
from sourcing.github.models import GitHubAccount, Implementation, ImplementationRun, Repository
from sourcing.models import Paper

OPENING_TOP_N = 5


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows come from runs; by hand they could only disagree with GitHub."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]


START_PERMISSION = "sourcing_github.add_implementationrun"


def _may_start(request: HttpRequest) -> bool:
    if request.user.has_perm(START_PERMISSION):
        return True
    messages.error(request, "Your account may not start re-implementation sourcing.")
    return False


def _start_for_papers(request: HttpRequest, papers: QuerySet[Paper]) -> None:
    if not _may_start(request):
        return
    created = reused = 0
    for paper in papers:
        _, new = launch.implementation_run_start_for_paper(paper=paper, by=request.user)
        created += new
        reused += not new
    messages.success(
        request, f"Started {created} run(s); {reused} paper(s) already had one in progress."
    )


@admin.action(description="Find official code and re-implementations", permissions=["view"])
def find_implementations_for_papers(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Paper]
) -> None:
    _start_for_papers(request, queryset)


@admin.action(
    description=f"Find re-implementations of the top {OPENING_TOP_N} papers for this role",
    permissions=["view"],
)
def find_reimplementations_for_openings(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Opening]
) -> None:
    if not _may_start(request):
        return
    for opening in queryset:
        launch.implementation_run_start_for_opening(
            opening=opening,
            top_n=OPENING_TOP_N,
            by=request.user,
        )
    messages.success(request, f"Started {queryset.count()} opening run(s).")


class OpeningFilter(admin.SimpleListFilter):
    """Implementations of the papers an opening's latest run picked: its ranked re-implementers
    (with verdict = re-implementation, ordered by score)."""

    title = "opening"
    parameter_name = "opening"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[Any, str]]:
        ids = ImplementationRun.objects.filter(kind=ImplementationRun.Kind.OPENING).values(
            "opening_id"
        )
        return [(o.pk, o.title) for o in Opening.objects.filter(pk__in=ids).order_by("title")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value() or ""
        opening = Opening.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if opening is None:
            return queryset
        return queryset.filter(paper_id__in=selectors.opening_paper_ids(opening=opening))


@admin.register(Implementation)
class ImplementationAdmin(ReadOnlyAdmin):
    list_display = [
        "repository",
        "paper_id_display",
        "verdict",
        "confidence",
        "score",
        "stars",
        "owner_candidate",
        "updated_at",
    ]
    list_filter = [
        OpeningFilter,
        "verdict",
        "repository__readme_reports_results",
        "repository__language",
    ]
    search_fields = ["repository__full_name", "paper__arxiv_id", "paper__title"]
    list_select_related = ["paper", "repository", "repository__owner__candidate"]
    ordering = ["-score", "id"]
    actions = ["search_papers_again"]

    @admin.display(description="paper", ordering="paper__arxiv_id")
    def paper_id_display(self, obj: Implementation) -> str:
        return obj.paper.arxiv_id

    @admin.display(description="stars", ordering="repository__stars")
    def stars(self, obj: Implementation) -> int:
        return obj.repository.stars

    @admin.display(description="candidate")
    def owner_candidate(self, obj: Implementation) -> str:
        candidate = obj.repository.owner.candidate
        return str(candidate) if candidate else "—"

    @admin.action(description="Search these papers again", permissions=["view"])
    def search_papers_again(self, request: HttpRequest, queryset: QuerySet[Implementation]) -> None:
        _start_for_papers(request, Paper.objects.filter(implementations__in=queryset).distinct())


@admin.register(Repository)
class RepositoryAdmin(ReadOnlyAdmin):
    list_display = [
        "full_name",
        "owner",
        "stars",
        "forks",
        "language",
        "pushed_at",
        "readme_reports_results",
        "gone_at",
    ]
    list_filter = ["language", "readme_reports_results", "is_fork", "archived"]
    search_fields = ["full_name", "owner__login", "description"]
    list_select_related = ["owner"]


@admin.register(GitHubAccount)
class GitHubAccountAdmin(ReadOnlyAdmin):
    list_display = ["login", "kind", "name", "company", "location", "followers", "candidate"]
    list_filter = ["kind"]
    search_fields = ["login", "name", "company"]
    list_select_related = ["candidate"]


@admin.register(ImplementationRun)
class ImplementationRunAdmin(RunControlsMixin, ReadOnlyAdmin):
    list_display = [
        "id",
        "kind",
        "target",
        "status",
        "summary",
        "suppressed_count",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["paper__arxiv_id", "opening__title", "error"]
    list_select_related = ["paper", "opening"]
    actions = ["resume_runs"]

    def may_control(self, request: HttpRequest, run: ImplementationRun) -> bool:
        return bool(request.user.has_perm(START_PERMISSION))

    run_cancellable = True

    def resume(self, request: HttpRequest, run: ImplementationRun) -> None:
        launch.implementation_run_resume(run=run, by=request.user)

    def cancel(self, request: HttpRequest, run: ImplementationRun) -> None:
        launch.implementation_run_cancel(run=run, by=request.user)

    @admin.display(description="for")
    def target(self, obj: ImplementationRun) -> str:
        if obj.paper is not None:
            return f"arXiv:{obj.paper.arxiv_id}"
        return str(obj.opening)

    @admin.display(description="progress")
    def summary(self, obj: ImplementationRun) -> str:
        if obj.error:
            return format_html("<span title='{}'>error</span>", obj.error)
        progress = obj.progress or {}
        if obj.kind == ImplementationRun.Kind.OPENING:
            url = reverse("admin:sourcing_github_implementation_changelist")
            return format_html(
                '{} papers: <a href="{}?opening={}&verdict__exact=reimplementation">'
                "ranked re-implementers</a>",
                progress.get("papers", 0),
                url,
                obj.opening_id,
            )
        return (
            f"{progress.get('official', 0)} official, "
            f"{progress.get('reimplementation', 0)} re-implementations, "
            f"{progress.get('skipped', 0)} skipped of {progress.get('found', 0)}"
        )

    @admin.action(description="Resume failed runs", permissions=["view"])
    def resume_runs(self, request: HttpRequest, queryset: QuerySet[ImplementationRun]) -> None:
        if not _may_start(request):
            return
        for run in queryset:
            try:
                launch.implementation_run_resume(run=run, by=request.user)
            except ValidationError as exc:
                messages.warning(request, f"Run {run.pk}: {' '.join(exc.messages)}")


class GitHubAccountInline(admin.TabularInline):
    """On the candidate page: the GitHub accounts behind the candidate and what they built."""

    model = GitHubAccount
    fields = ["login", "name", "company", "location", "followers", "repositories_found"]
    readonly_fields = ["login", "name", "company", "location", "followers", "repositories_found"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[GitHubAccount]:
        return super().get_queryset(request).prefetch_related("repositories")

    @admin.display(description="repositories")
    def repositories_found(self, obj: GitHubAccount) -> str:
        return ", ".join(r.full_name for r in obj.repositories.all()) or "—"


extend_admin(Candidate, inlines=[GitHubAccountInline])
extend_admin(Opening, actions=[find_reimplementations_for_openings])
# Without a Paper admin (the arXiv app's choice), the implementations admin still offers re-runs.
with suppress(NotRegistered):
    extend_admin(Paper, actions=[find_implementations_for_papers])
