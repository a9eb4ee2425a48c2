"""Role profiles through HTTP: bars, bar version and sourcing hints, read-only, by slug."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from hiring import roles
from hiring.models import RoleProfile
from hiring.services import role_profile_publish_bars
from tests.hiring.factories import (
    CompetencyFactory,
    RoleBarFactory,
    RoleProfileFactory,
    TokenFactory,
    UserFactory,
    integration,
)

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


def test_role_shows_its_bars_current_version_and_sourcing_hints():
    # given a profile whose bars were raised once after the first version
    role = RoleProfileFactory(
        slug="vision-engineer",
        sourcing_categories=["cs.CV"],
        sourcing_keywords=["segmentation"],
        interview_loop=["screen", "onsite"],
    )
    bar = RoleBarFactory(
        role_profile=role,
        competency=CompetencyFactory(slug="ml-vision", name="Vision"),
        minimum_level=2,
        strength_level=3,
    )
    role_profile_publish_bars(role_profile=role)
    bar.minimum_level = 3
    bar.save()
    role_profile_publish_bars(role_profile=role)

    # when
    response = api(integration()).get("/api/v1/roles/vision-engineer/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["bar_version"] == 2
    assert body["bars"] == [
        {"competency": "ml-vision", "name": "Vision", "minimum_level": 3, "strength_level": 3}
    ]
    assert body["sourcing_categories"] == ["cs.CV"]
    assert body["sourcing_keywords"] == ["segmentation"]
    assert body["interview_loop"] == ["screen", "onsite"]


def test_list_has_active_roles_only_and_any_api_user_may_read_it():
    # given
    RoleProfileFactory(slug="retired-role", is_active=False)
    RoleBarFactory(role_profile=RoleProfileFactory(slug="fresh-role"))
    roles.ensure_default_groups()
    manager = UserFactory(groups=[roles.HIRING_MANAGERS])

    # when
    response = api(manager).get("/api/v1/roles/")

    # then
    assert response.status_code == 200
    slugs = [role["slug"] for role in response.json()]
    assert "fresh-role" in slugs
    assert "retired-role" not in slugs
    unpublished = next(role for role in response.json() if role["slug"] == "fresh-role")
    assert unpublished["bar_version"] is None
    assert api(manager).get("/api/v1/roles/retired-role/").status_code == 404


def test_roles_are_read_only():
    # given
    client = api(integration())
    RoleProfileFactory(slug="fixed")

    # when
    responses = [
        client.post("/api/v1/roles/", {"slug": "new"}, format="json"),
        client.patch("/api/v1/roles/fixed/", {"title": "Changed"}, format="json"),
        client.delete("/api/v1/roles/fixed/"),
    ]

    # then
    assert [r.status_code for r in responses] == [405, 405, 405]
    assert RoleProfile.objects.get(slug="fixed").title != "Changed"


@pytest.mark.parametrize("extra_roles", [0, 8])
def test_list_runs_two_queries_whatever_the_number_of_roles(django_assert_num_queries, extra_roles):
    # given roles with several bars each
    for i in range(extra_roles):
        role = RoleProfileFactory(slug=f"extra-{i}")
        RoleBarFactory.create_batch(3, role_profile=role)
        role_profile_publish_bars(role_profile=role)
    client = api(integration())
    client.get("/api/v1/roles/")  # a token's first request also reads its credentials

    # when / then: the profiles (with their latest version), their bars
    with django_assert_num_queries(2):
        response = client.get("/api/v1/roles/")
    assert response.status_code == 200
