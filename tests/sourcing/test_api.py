"""The sourcing API over HTTP: start runs, follow them, read ranked prospects."""

from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from sourcing.models import SourcingRun
from tests.hiring.factories import OpeningFactory, RoleProfileFactory, UserFactory, recruiter
from tests.sourcing.factories import ProspectFactory, SourcingRunFactory
from tests.sourcing.feeds import Entry, feed
from tests.sourcing.replay import Reply

pytestmark = pytest.mark.django_db
URL = "/api/v1/sourcing-runs/"


@pytest.fixture
def client_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def test_recruiter_starts_a_role_run_that_a_worker_completes(
    client_for, arxiv_replay, django_capture_on_commit_callbacks
):
    # given
    role = RoleProfileFactory(sourcing_categories=["cs.LG"])
    entries = [Entry("2501.00001", "A paper", ["Ada Lovelace", "Alan Turing"])]
    arxiv_replay.add("/api/query", {}, Reply(body=feed(entries, total=1)))
    client = client_for(recruiter())

    # when (eager Celery in tests: the task runs when the request's transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"role": role.slug, "max_results": 10}, format="json")

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "api"
    assert body["role"] == role.slug
    assert body["parameters"] == {"max_results": 10}
    run = client.get(f"{URL}{body['id']}/").json()
    assert run["status"] == "succeeded"
    assert (run["papers_count"], run["candidates_count"], run["percent"]) == (1, 1, 100)
    prospects = client.get(f"{URL}{body['id']}/prospects/").json()["results"]
    assert prospects[0]["person"]["name"] == "Ada Lovelace"
    assert {c["name"] for c in prospects[0]["breakdown"]["components"]} >= {"quality", "recency"}


def test_an_opening_implies_its_role(client_for):
    opening = OpeningFactory(role_profile=RoleProfileFactory(sourcing_categories=["cs.CV"]))
    response = client_for(recruiter()).post(URL, {"opening": opening.pk}, format="json")
    assert response.status_code == 201
    run = SourcingRun.objects.get(pk=response.json()["id"])
    assert (run.opening, run.role_profile) == (opening, opening.role_profile)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "non_field_errors"),
        ({"role": "no-such-role"}, "role"),
        ({"query": "cat:cs.LG", "max_results": 0}, "max_results"),
        ({"query": "cat:cs.LG", "page_size": 5000}, "page_size"),
        ({"query": "cat:cs.LG", "from_date": "yesterday"}, "from_date"),
        ({"kind": "snapshot", "query": "x"}, "kind"),
    ],
)
def test_invalid_requests_are_400_with_field_errors(client_for, payload, field):
    response = client_for(recruiter()).post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_accounts_without_sourcing_permission_see_and_start_nothing(client_for):
    SourcingRunFactory()
    client = client_for(UserFactory())
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"query": "cat:cs.LG"}, format="json").status_code == 403
    assert APIClient().get(URL).status_code in (401, 403)


def test_run_list_query_count_is_constant(client_for, django_assert_num_queries):
    client = client_for(recruiter())
    SourcingRunFactory.create_batch(3, role_profile=RoleProfileFactory())
    client.get(URL)  # warm the permission cache
    with django_assert_num_queries(1):  # permissions are cached on the user: just the page
        response = client.get(URL)
    assert len(response.json()["results"]) == 3


def test_cancel_and_resume(client_for):
    run = SourcingRunFactory(status=SourcingRun.Status.RUNNING)
    client = client_for(recruiter())
    assert client.post(f"{URL}{run.pk}/cancel/").json()["status"] == "cancelled"
    assert client.post(f"{URL}{run.pk}/cancel/").status_code == 400
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sourcing.launch.run_enqueue", lambda *, task, run: None)
        assert client.post(f"{URL}{run.pk}/resume/").json()["status"] == "queued"


def test_ranked_prospects_of_a_role(client_for, django_assert_max_num_queries):
    role = RoleProfileFactory()
    ProspectFactory(role_profile=role, score=0.2)
    best = ProspectFactory(role_profile=role, score=0.9)
    ProspectFactory(score=0.99)  # another role
    client = client_for(recruiter())
    client.get("/api/v1/sourcing-prospects/", {"role": role.slug})
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/sourcing-prospects/", {"role": role.slug})
    results = response.json()["results"]
    assert results[0]["id"] == best.pk
    assert len(results) == 2
    assert client.get("/api/v1/sourcing-prospects/").status_code == 400


# Real commits, so the run starts inside the request as it does under `make run`.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_a_broker_a_transient_failure_ends_the_run_instead_of_the_request(
    client_for, arxiv_replay, settings
):
    # given no broker (tasks run in-process when the request commits) and an arXiv that stays
    # unavailable, as on a laptop without network
    settings.ARXIV_MAX_ATTEMPTS = 1
    arxiv_replay.add("/api/query", {}, Reply(503, b"busy", content_type="text/plain"))
    role = RoleProfileFactory(sourcing_categories=["cs.LG"])

    # when a recruiter starts a run
    response = client_for(recruiter()).post(URL, {"role": role.slug}, format="json")

    # then the request answers, and the run ended failed with its reason and can be resumed
    assert response.status_code == 201, response.content
    run = SourcingRun.objects.get(pk=response.json()["id"])
    assert run.status == SourcingRun.Status.FAILED
    assert "HTTP 503" in run.error
    assert "resume" in run.error


@pytest.mark.parametrize("position", ["abc", "nan", "inf", "1e999", "-"])
@pytest.mark.parametrize("path", ["runs", "run-prospects", "role-prospects"])
def test_a_hand_made_cursor_is_an_invalid_cursor_not_a_server_error(client_for, path, position):
    # given
    prospect = ProspectFactory()
    run = SourcingRunFactory()
    url, params = {
        "runs": (URL, {}),
        "run-prospects": (f"{URL}{run.pk}/prospects/", {}),
        "role-prospects": ("/api/v1/sourcing-prospects/", {"role": prospect.role_profile.slug}),
    }[path]
    cursor = base64.b64encode(f"p={position}".encode()).decode()

    # when
    response = client_for(recruiter()).get(url, {**params, "cursor": cursor})

    # then
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "Invalid cursor"}


def test_what_may_be_null_is_documented_as_nullable(client_for):
    # given a run of a plain query that the nightly schedule (nobody) started
    SourcingRunFactory(role_profile=None, requested_by=None)
    schema = client_for(recruiter()).get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    # when
    body = client_for(recruiter()).get(URL).json()["results"][0]

    # then
    assert (body["role"], body["started_by"]) == (None, None)
    run = components["SourcingRunOutput"]["properties"]
    assert run["role"]["nullable"]
    assert run["started_by"]["nullable"]
    assert components["ProspectOutput"]["properties"]["candidate"]["nullable"]
