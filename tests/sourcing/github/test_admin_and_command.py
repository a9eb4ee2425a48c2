"""Admin smoke tests (changelist, search, add refused, change view), actions that start runs,
pinned changelist query counts, and the ``find_reimplementations`` command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sourcing.github.models import GitHubAccount, Implementation, ImplementationRun, Repository
from tests.hiring.factories import OpeningFactory, RoleProfileFactory
from tests.sourcing.github.conftest import SEARCH_BY_ID, SMA, serve_sma
from tests.sourcing.github.factories import PaperFactory, sma_paper
from tests.sourcing.github.replay import ReplayServer

pytestmark = pytest.mark.django_db

MODELS = [
    ("implementation", Implementation),
    ("repository", Repository),
    ("githubaccount", GitHubAccount),
    ("implementationrun", ImplementationRun),
]


@pytest.fixture
def scenario(upstream: ReplayServer) -> None:
    sma_paper()
    serve_sma(upstream)
    call_command("find_reimplementations", SMA, stdout=StringIO())


@pytest.mark.parametrize(("name", "model"), MODELS)
def test_admin_pages_render(admin_client, scenario, name, model) -> None:  # type: ignore[no-untyped-def]
    changelist = reverse(f"admin:sourcing_github_{name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "bob"}).status_code == 200
    # rows come from runs only
    assert admin_client.get(reverse(f"admin:sourcing_github_{name}_add")).status_code == 403
    row = model.objects.first()
    change = reverse(f"admin:sourcing_github_{name}_change", args=[row.pk])
    assert admin_client.get(change).status_code == 200


@pytest.mark.parametrize(("name", "queries"), [("implementation", 7), ("implementationrun", 5)])
def test_changelist_query_counts_are_pinned(
    admin_client, scenario, django_assert_num_queries, name, queries
) -> None:  # type: ignore[no-untyped-def]
    # more rows of every kind must not add queries
    for _ in range(3):
        ImplementationRun.objects.create(kind="paper", paper=PaperFactory(), status="failed")
    OpeningRun = ImplementationRun.Kind.OPENING
    ImplementationRun.objects.create(kind=OpeningRun, opening=OpeningFactory(), status="failed")
    url = reverse(f"admin:sourcing_github_{name}_changelist")
    admin_client.get(url)
    with django_assert_num_queries(queries):
        admin_client.get(url)


def test_opening_action_starts_a_run(admin_client, upstream: ReplayServer) -> None:  # type: ignore[no-untyped-def]
    opening = OpeningFactory(role_profile=RoleProfileFactory(sourcing_categories=["cs.LG"]))
    response = admin_client.post(
        reverse("admin:hiring_opening_changelist"),
        {"action": "find_reimplementations_for_openings", "_selected_action": [opening.pk]},
    )
    assert response.status_code == 302
    run = ImplementationRun.objects.get(kind="opening")
    assert run.opening_id == opening.pk
    assert run.top_n == 5


def test_resume_action_requeues_failed_runs(admin_client, upstream: ReplayServer) -> None:  # type: ignore[no-untyped-def]
    paper, _ = sma_paper()
    run = ImplementationRun.objects.create(kind="paper", paper=paper, status="failed", error="x")
    admin_client.post(
        reverse("admin:sourcing_github_implementationrun_changelist"),
        {"action": "resume_runs", "_selected_action": [run.pk]},
    )
    run.refresh_from_db()
    # queued: the task is enqueued on commit, which the test transaction never reaches
    assert run.status == "queued"
    assert run.error == ""


def test_a_failed_runs_page_resumes_it(admin_client, upstream: ReplayServer) -> None:  # type: ignore[no-untyped-def]
    paper, _ = sma_paper()
    run = ImplementationRun.objects.create(kind="paper", paper=paper, status="failed", error="x")
    change = reverse("admin:sourcing_github_implementationrun_change", args=[run.pk])
    assert 'value="resume"' in admin_client.get(change).content.decode()
    response = admin_client.post(
        reverse("admin:sourcing_github_implementationrun_control", args=[run.pk]), {"do": "resume"}
    )
    assert response["Location"] == change
    run.refresh_from_db()
    assert (run.status, run.error) == ("queued", "")
    assert 'value="cancel"' in admin_client.get(change).content.decode()


def test_command_prints_official_and_reimplementations(upstream: ReplayServer) -> None:
    sma_paper()
    serve_sma(upstream)
    out = StringIO()

    call_command("find_reimplementations", f"{SMA}v1", stdout=out)

    text = out.getvalue()
    assert "succeeded" in text
    assert "official" in text
    assert "adalovelace/sparse-mixture-adapters" in text
    assert text.count("reimplementation ") == 2
    assert "candidate" in text


def test_command_errors_are_clear(upstream: ReplayServer) -> None:
    with pytest.raises(CommandError, match=r"Unknown paper 1234\.56789"):
        call_command("find_reimplementations", "1234.56789", stdout=StringIO())
    sma_paper()
    upstream.serve("rate-limit-exceeded-403", at=SEARCH_BY_ID)
    with pytest.raises(CommandError, match="API Rate Limit Exceeded"):
        call_command("find_reimplementations", SMA, stdout=StringIO())


def test_paper_admin_action_starts_a_run(admin_client) -> None:  # type: ignore[no-untyped-def]
    paper, _ = sma_paper()
    response = admin_client.post(
        reverse("admin:sourcing_paper_changelist"),
        {"action": "find_implementations_for_papers", "_selected_action": [paper.pk]},
    )
    assert response.status_code == 302
    assert ImplementationRun.objects.get().paper_id == paper.pk


def test_actions_need_the_start_permission(client) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Permission

    from tests.hiring.factories import UserFactory

    # given a staff user who may see openings but not start sourcing
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_opening"))
    client.force_login(user)
    opening = OpeningFactory()

    client.post(
        reverse("admin:hiring_opening_changelist"),
        {"action": "find_reimplementations_for_openings", "_selected_action": [opening.pk]},
    )

    assert not ImplementationRun.objects.exists()


def test_admin_lists_an_openings_ranked_reimplementers(
    admin_client, upstream: ReplayServer, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from sourcing.github import launch

    opening = OpeningFactory(role_profile=RoleProfileFactory(sourcing_categories=["cs.LG"]))
    sma_paper()
    serve_sma(upstream)
    with django_capture_on_commit_callbacks(execute=True):
        launch.implementation_run_start_for_opening(opening=opening, top_n=1)

    runs_page = admin_client.get(reverse("admin:sourcing_github_implementationrun_changelist"))
    assert b"ranked re-implementers" in runs_page.content
    page = admin_client.get(
        reverse("admin:sourcing_github_implementation_changelist"),
        {"opening": opening.pk, "verdict__exact": "reimplementation"},
    )

    rows = list(page.context["cl"].result_list)
    assert [r.repository.full_name for r in rows] == [
        "bobsmith/sma-pytorch",
        "carol-ml/sparse-adapters-jax",
    ]
