"""Openings through HTTP: list with filters, create, read and update, scoped to the requester."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from hiring import roles
from hiring.models import Opening
from tests.hiring.factories import (
    OpeningFactory,
    RoleProfileFactory,
    TokenFactory,
    UserFactory,
    integration,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/openings/"


def api(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


def ids(response: Any) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_create_an_opening_for_a_role_with_a_hiring_manager():
    # given
    RoleProfileFactory(slug="vision-engineer")
    manager = UserFactory(username="grace")

    ats = integration()

    # when
    response = api(ats).post(
        URL,
        {
            "title": "Senior vision engineer",
            "role": "vision-engineer",
            "level": "senior",
            "team": "Perception",
            "headcount": 2,
            "hiring_manager": "grace",
        },
        format="json",
    )

    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["role"] == "vision-engineer"
    assert body["hiring_manager"] == "grace"
    assert body["status"] == "open"
    assert body["headcount"] == 2
    opening = Opening.objects.get(pk=body["id"])
    assert opening.hiring_manager == manager
    assert opening.level == "senior"
    assert opening.created_by == ats
    assert opening.updated_by == ats


def test_a_retired_role_cannot_get_new_openings():
    RoleProfileFactory(slug="old-role", is_active=False)
    response = api(integration()).post(URL, {"title": "T", "role": "old-role"}, format="json")
    assert response.status_code == 400
    assert "role" in response.json()
    assert Opening.objects.count() == 0


def test_patch_changes_the_given_fields_only():
    # given
    opening = OpeningFactory(title="ML engineer", headcount=1, team="Ads")

    ats = integration()

    # when
    response = api(ats).patch(
        f"{URL}{opening.pk}/", {"status": "on_hold", "headcount": 3}, format="json"
    )

    # then
    assert response.status_code == 200, response.json()
    opening.refresh_from_db()
    assert (opening.status, opening.headcount, opening.team) == ("on_hold", 3, "Ads")
    assert opening.updated_by == ats


def test_filters_by_status_role_and_level():
    # given
    a = OpeningFactory(role_profile=RoleProfileFactory(slug="r-a"), level="senior")
    b = OpeningFactory(role_profile=RoleProfileFactory(slug="r-b"), status="closed")
    client = api(integration())

    # when / then
    assert ids(client.get(URL, {"role": "r-a"})) == [a.pk]
    assert ids(client.get(URL, {"status": "closed"})) == [b.pk]
    assert ids(client.get(URL, {"level": "senior"})) == [a.pk]
    assert ids(client.get(URL)) == [a.pk, b.pk]


def test_hiring_manager_sees_only_their_openings():
    # given
    roles.ensure_default_groups()
    manager = UserFactory(groups=[roles.HIRING_MANAGERS])
    mine = OpeningFactory(hiring_manager=manager)
    theirs = OpeningFactory()
    client = api(manager)

    # when / then
    assert ids(client.get(URL)) == [mine.pk]
    assert client.get(f"{URL}{mine.pk}/").json()["id"] == mine.pk
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404


@pytest.mark.parametrize("count", [2, 30])
def test_list_runs_one_query_whatever_the_page_size(django_assert_num_queries, count):
    # given openings with managers and roles
    for _ in range(count):
        OpeningFactory(hiring_manager=UserFactory())
    client = api(integration())
    client.get(URL)  # a token's first request also reads its credentials (test_api_credentials)

    # when / then: the page (joined)
    with django_assert_num_queries(1):
        response = client.get(URL, {"page_size": 200})
    assert len(response.json()["results"]) == count
