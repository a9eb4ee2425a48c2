"""Starting runs (``sourcing.launch``): one launch service behind the API, the admin, the commands
and beat; typed parameters validated once (an out-of-range value is an error naming it, never a
silent clamp); a second start of the same run while it is active returns the active run."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from sourcing import launch
from sourcing.models import SourcingRun
from sourcing.runs.parameters import ApiParameters, SnapshotParameters, parameters_parse
from tests.hiring.factories import RoleProfileFactory, recruiter

pytestmark = pytest.mark.django_db
URL = "/api/v1/sourcing-runs/"


@pytest.mark.parametrize(
    ("kind", "raw", "field"),
    [
        ("api", {"page_size": 2001}, "page_size"),
        ("api", {"page_size": 0}, "page_size"),
        ("api", {"max_results": 30_001}, "max_results"),
        ("api", {"max_results": "lots"}, "max_results"),
        ("api", {"from": "2026-13-01"}, "from"),
        ("api", {"from": "2026-02-01", "to": "2026-01-01"}, "to"),
        ("api", {"query": "x" * 2001}, "query"),
        ("api", {"pagesize": 10}, "parameters"),
        ("oai", {"set": "x" * 65}, "set"),
        ("oai", {"all_roles": "yes"}, "all_roles"),
        ("snapshot", {}, "parameters"),
        ("snapshot", {"path": "/x.json", "batch_size": 0}, "batch_size"),
        ("snapshot", {"path": "/x.json", "categories": "cs.LG"}, "categories"),
        ("nightly", {}, "kind"),
    ],
)
def test_parameters_out_of_range_are_field_errors_not_clamped(kind, raw, field):
    with pytest.raises(ValidationError) as caught:
        parameters_parse(kind=kind, raw=raw)
    assert field in caught.value.message_dict


def test_parameters_keep_only_what_was_asked_and_read_back_typed():
    typed = parameters_parse(kind="api", raw={"query": "cat:cs.LG", "page_size": 2000})
    assert typed.as_json() == {"query": "cat:cs.LG", "page_size": 2000}
    assert isinstance(typed, ApiParameters)
    assert (typed.results_per_page, typed.results_wanted) == (2000, 1000)
    snapshot = SnapshotParameters.parse({"path": "/s.json", "categories": ["cs.LG"]})
    assert snapshot.as_json() == {"path": "/s.json", "categories": ["cs.LG"]}


def test_a_second_start_while_the_first_is_active_returns_the_first(
    django_capture_on_commit_callbacks,
):
    # given a role with a run queued for it
    role = RoleProfileFactory(sourcing_categories=["cs.LG"])
    with django_capture_on_commit_callbacks() as delivered:
        first, created = launch.sourcing_run_launch(kind="api", role_profile=role)
        again, created_again = launch.sourcing_run_launch(kind="api", role_profile=role)
        other, created_other = launch.sourcing_run_launch(
            kind="api", role_profile=role, parameters={"max_results": 50}
        )

    # then the second start is the first run, delivered once; other parameters are another run
    assert (created, created_again, created_other) == (True, False, True)
    assert again.pk == first.pk != other.pk
    assert len(delivered) == 2
    assert SourcingRun.objects.count() == 2
    # once it has ended, the same start is a new run
    SourcingRun.objects.filter(pk=first.pk).update(status=SourcingRun.Status.SUCCEEDED)
    assert launch.sourcing_run_launch(kind="api", role_profile=role)[1] is True


def test_the_api_answers_200_with_the_active_run_for_a_repeated_start(
    django_capture_on_commit_callbacks,
):
    role = RoleProfileFactory(sourcing_categories=["cs.LG"])
    client = APIClient()
    client.force_authenticate(recruiter())
    with django_capture_on_commit_callbacks():
        first = client.post(URL, {"role": role.slug}, format="json")
        second = client.post(URL, {"role": role.slug}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]


def test_the_api_refuses_a_page_size_arxiv_does_not_serve():
    role = RoleProfileFactory(sourcing_categories=["cs.LG"])
    api = APIClient()
    api.force_authenticate(recruiter())

    response = api.post(URL, {"role": role.slug, "page_size": 2001}, format="json")

    assert response.status_code == 400
    assert "page_size" in response.json()
    assert not SourcingRun.objects.exists()


def test_the_command_names_the_bad_parameter_and_creates_nothing():
    role = RoleProfileFactory(slug="ml-cmd", sourcing_categories=["cs.LG"])

    with pytest.raises(CommandError, match="page_size: Expected a whole number from 1 to 2000"):
        call_command("source_arxiv", "--role", role.slug, "--page-size", "5000", verbosity=0)

    assert not SourcingRun.objects.exists()
