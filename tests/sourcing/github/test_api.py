"""The API through HTTP: start runs for a paper or an opening, read implementations with their
evidence and an opening's ranked re-implementers; access; pinned query counts."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from hiring.models import Candidate
from sourcing.github.models import ImplementationRun
from tests.hiring.factories import OpeningFactory, RoleProfileFactory, UserFactory, recruiter
from tests.sourcing.github.conftest import SMA, serve_sma
from tests.sourcing.github.factories import PaperFactory, sma_paper
from tests.sourcing.github.replay import ReplayServer

pytestmark = pytest.mark.django_db

RUNS = "/api/v1/reimplementation-runs/"


@pytest.fixture
def api() -> APIClient:
    client = APIClient()
    client.force_authenticate(recruiter())
    return client


@pytest.fixture
def found(upstream: ReplayServer, api: APIClient, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """The recorded scenario, found through the API."""
    paper, _ = sma_paper()
    serve_sma(upstream)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(RUNS, {"arxiv_id": f"arXiv:{SMA}v2"}, format="json")
    assert response.status_code == 202, response.content
    return paper, response.json()


def test_start_a_paper_run_and_read_its_implementations(found, api: APIClient) -> None:  # type: ignore[no-untyped-def]
    _paper, started = found
    run = api.get(f"{RUNS}{started['id']}/").json()
    assert run["status"] == "succeeded"
    assert run["arxiv_id"] == SMA
    assert run["progress"]["official"] == 1
    assert run["progress"]["reimplementation"] == 2

    rows = api.get(f"/api/v1/papers/{SMA}/implementations/").json()

    assert [r["verdict"] for r in rows] == ["official", "reimplementation", "reimplementation"]
    official, best = rows[0], rows[1]
    assert official["repository"]["full_name"] == "adalovelace/sparse-mixture-adapters"
    assert official["owner"]["candidate"] == Candidate.objects.get(github_login="adalovelace").pk
    assert best["repository"]["full_name"] == "bobsmith/sma-pytorch"
    assert best["repository"]["readme_reports_results"] is True
    assert best["repository"]["stars"] == 128
    assert best["repository"]["language"] == "Python"
    assert best["score_breakdown"][0]["factor"] == "reproduced results"
    assert any("unofficial" in reason for reason in best["reasons"])


def test_starting_again_while_active_returns_the_active_run(api: APIClient) -> None:
    paper, _ = sma_paper()
    active = ImplementationRun.objects.create(kind="paper", paper=paper)
    response = api.post(RUNS, {"arxiv_id": SMA}, format="json")
    assert response.status_code == 200
    assert response.json()["id"] == active.pk


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"arxiv_id": "9999.99999"}, "arxiv_id"),
        ({}, "non_field_errors"),
        ({"arxiv_id": SMA, "opening": 1}, "non_field_errors"),
        ({"opening": 1, "top_n": 500}, "top_n"),
        # an opening nobody has (or the requester may not see) names the field, as arxiv_id does
        ({"opening": 987654, "top_n": 1}, "opening"),
    ],
)
def test_bad_requests_are_400_with_field_errors(api: APIClient, body, field) -> None:  # type: ignore[no-untyped-def]
    sma_paper()
    response = api.post(RUNS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_people_without_the_permission_get_403(found) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(UserFactory())
    assert client.get(f"/api/v1/papers/{SMA}/implementations/").status_code == 403
    assert client.post(RUNS, {"arxiv_id": SMA}, format="json").status_code == 403
    assert APIClient().get(RUNS).status_code == 401


def test_unknown_paper_implementations_is_404(api: APIClient) -> None:
    assert api.get("/api/v1/papers/0000.00000/implementations/").status_code == 404


def test_opening_run_ranks_reimplementers(
    upstream: ReplayServer,
    api: APIClient,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
) -> None:  # type: ignore[no-untyped-def]
    # given an ML engineering opening whose role reads cs.LG, and the recorded paper in cs.LG
    role = RoleProfileFactory(sourcing_categories=["cs.LG"])
    opening = OpeningFactory(role_profile=role)
    sma_paper()
    serve_sma(upstream)

    # when a recruiter starts "find re-implementations of the top papers for this role"
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(RUNS, {"opening": opening.pk, "top_n": 1}, format="json")
    assert response.status_code == 202

    # then the opening's run spawned a paper run, and the re-implementers come back ranked
    run = ImplementationRun.objects.get(kind="opening")
    assert run.status == "succeeded", run.error
    child = run.children.get()
    assert child.status == "succeeded", child.error
    api.get(f"/api/v1/openings/{opening.pk}/reimplementers/")  # warm the permission cache
    with django_assert_num_queries(3):  # opening, its latest run, the implementations
        ranked = api.get(f"/api/v1/openings/{opening.pk}/reimplementers/").json()
    assert [r["candidate"]["github_login"] for r in ranked] == ["bobsmith", "carol-ml"]
    assert ranked[0]["score"] > ranked[1]["score"]
    assert ranked[0]["breakdown"][0]["factor"] == "best re-implementation"
    assert ranked[0]["implementations"][0]["arxiv_id"] == SMA


def test_opening_without_matching_papers_fails_clearly(
    api: APIClient, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    opening = OpeningFactory(role_profile=RoleProfileFactory(sourcing_categories=["q-bio.NC"]))
    with django_capture_on_commit_callbacks(execute=True):
        api.post(RUNS, {"opening": opening.pk}, format="json")
    run = ImplementationRun.objects.get()
    assert run.status == "failed"
    assert "No papers match" in run.error


def test_list_endpoints_have_constant_query_counts(
    found, api: APIClient, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _paper, _ = found
    # more runs must not add queries
    for _ in range(3):
        ImplementationRun.objects.create(kind="paper", paper=PaperFactory(), status="failed")

    api.get(RUNS)  # warm the permission cache of the forced user
    with django_assert_num_queries(1):
        assert len(api.get(RUNS).json()["results"]) == 4
    with django_assert_num_queries(2):
        assert len(api.get(f"/api/v1/papers/{SMA}/implementations/").json()) == 3
