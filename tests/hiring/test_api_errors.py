"""Every kind of bad request gets a JSON 400/401/403/404, never a 500, and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from hiring import roles
from hiring.models import (
    Application,
    BarVersion,
    Candidate,
    CandidateEmail,
    Opening,
    StageChange,
)
from hiring.services import application_create
from tests.hiring.factories import (
    CandidateEmailFactory,
    CandidateFactory,
    OpeningFactory,
    RoleBarFactory,
    TokenFactory,
    UserFactory,
    integration,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def api(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


def row_counts() -> dict[str, int]:
    models = (Candidate, CandidateEmail, Application, StageChange, Opening, BarVersion)
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture
def world() -> dict[str, Any]:
    """Ada (github ``ada``, ada@example.org, external id ATS-1) has applied to an open opening;
    Bob has no application; one opening is closed."""
    role = RoleBarFactory().role_profile
    opening = OpeningFactory(role_profile=role)
    closed = OpeningFactory(role_profile=role, status=Opening.Status.CLOSED)
    ada = CandidateFactory(full_name="Ada", github_login="ada", external_id="ATS-1")
    CandidateEmailFactory(candidate=ada, email="ada@example.org")
    bob = CandidateFactory(full_name="Bob")
    application = application_create(candidate=ada, opening=opening)
    return {
        "role": role.slug,
        "opening": opening.pk,
        "closed": closed.pk,
        "ada": ada.pk,
        "bob": bob.pk,
        "application": application.pk,
    }


@dataclass(frozen=True)
class Bad:
    method: str
    path: str
    body: Any
    error_key: str
    raw: bool = False  # send ``body`` as the literal request body


C = "candidates/"
UPSERT = "candidates/by-external-id/"
MOVE = "applications/{application}/transitions/"

BAD_REQUESTS = {
    "malformed JSON": Bad("post", C, '{"full_name": "Ada', "detail", raw=True),
    "JSON nested too deeply": Bad("post", C, "[" * 100_000, "detail", raw=True),
    "body is null": Bad("post", C, "null", "non_field_errors", raw=True),
    "empty body": Bad("post", C, "", "full_name", raw=True),
    "body is a list": Bad("post", C, ["Ada"], "non_field_errors"),
    "missing name": Bad("post", C, {"emails": ["x@example.org"]}, "full_name"),
    "name of the wrong type": Bad("post", C, {"full_name": {"first": "A"}}, "full_name"),
    "unknown field": Bad(
        "post", C, {"full_name": "A", "favourite_colour": "blue"}, "favourite_colour"
    ),
    "emails not a list": Bad("post", C, {"full_name": "A", "emails": "a@x.org"}, "emails"),
    "invalid email": Bad("post", C, {"full_name": "A", "emails": ["not-an-email"]}, "emails"),
    "unknown source": Bad("post", C, {"full_name": "A", "source": "pigeon"}, "source"),
    "NUL byte": Bad("post", C, {"full_name": "A\x00B"}, "full_name"),
    "GitHub login too long": Bad(
        "post", C, {"full_name": "A", "github_login": "x" * 40}, "github_login"
    ),
    "name forms not strings": Bad(
        "post", C, {"full_name": "A", "arxiv_name_forms": [{"a": 1}]}, "arxiv_name_forms"
    ),
    "duplicate GitHub login": Bad(
        "post", C, {"full_name": "B", "github_login": "ADA"}, "github_login"
    ),
    "duplicate email": Bad("post", C, {"full_name": "B", "emails": ["Ada@Example.org"]}, "emails"),
    "duplicate external id": Bad(
        "post", C, {"full_name": "B", "external_id": "ATS-1"}, "external_id"
    ),
    "patch: duplicate GitHub login": Bad(
        "patch", C + "{bob}/", {"github_login": "ada"}, "github_login"
    ),
    "patch: duplicate email": Bad("patch", C + "{bob}/", {"emails": ["ada@example.org"]}, "emails"),
    "patch: bad homepage": Bad("patch", C + "{bob}/", {"homepage": "not a url"}, "homepage"),
    "patch: blank name": Bad("patch", C + "{bob}/", {"full_name": "  "}, "full_name"),
    "upsert: someone else's email": Bad(
        "put", UPSERT + "NEW-1/", {"full_name": "N", "emails": ["ada@example.org"]}, "emails"
    ),
    "upsert: someone else's GitHub login": Bad(
        "put", UPSERT + "NEW-1/", {"full_name": "N", "github_login": "ada"}, "github_login"
    ),
    "upsert: blank external id": Bad("put", UPSERT + "%20/", {"full_name": "N"}, "external_id"),
    "upsert: external id too long": Bad(
        "put", UPSERT + "x" * 129 + "/", {"full_name": "N"}, "external_id"
    ),
    "upsert: missing name": Bad("put", UPSERT + "NEW-2/", {"source": "ats"}, "full_name"),
    "upsert: external id in the body": Bad(
        "put", UPSERT + "NEW-3/", {"full_name": "N", "external_id": "X"}, "external_id"
    ),
    "application: unknown candidate": Bad(
        "post", "applications/", {"candidate": 999999, "opening": "{opening}"}, "candidate"
    ),
    "application: unknown opening": Bad(
        "post", "applications/", {"candidate": "{bob}", "opening": 999999}, "opening"
    ),
    "application: id not a number": Bad(
        "post", "applications/", {"candidate": "abc", "opening": "{opening}"}, "candidate"
    ),
    "application: id out of range": Bad(
        "post", "applications/", {"candidate": 10**30, "opening": "{opening}"}, "candidate"
    ),
    "application: missing opening": Bad("post", "applications/", {"candidate": "{bob}"}, "opening"),
    "application: already applied": Bad(
        "post", "applications/", {"candidate": "{ada}", "opening": "{opening}"}, "non_field_errors"
    ),
    "application: closed opening": Bad(
        "post", "applications/", {"candidate": "{bob}", "opening": "{closed}"}, "opening"
    ),
    "transition: unknown stage": Bad("post", MOVE, {"to_stage": "teleported"}, "to_stage"),
    "transition: illegal move": Bad("post", MOVE, {"to_stage": "offer"}, "to_stage"),
    "transition: rejection without reason": Bad(
        "post", MOVE, {"to_stage": "rejected"}, "rejection_reason"
    ),
    "transition: unknown rejection reason": Bad(
        "post", MOVE, {"to_stage": "rejected", "rejection_reason": "vibes"}, "rejection_reason"
    ),
    "transition: reason on a non-rejection": Bad(
        "post", MOVE, {"to_stage": "screen", "rejection_reason": "below_bar"}, "rejection_reason"
    ),
    "transition: missing stage": Bad("post", MOVE, {}, "to_stage"),
    "opening: unknown role": Bad("post", "openings/", {"title": "T", "role": "astrologer"}, "role"),
    "opening: zero headcount": Bad(
        "post", "openings/", {"title": "T", "role": "{role}", "headcount": 0}, "headcount"
    ),
    "opening: unknown manager": Bad(
        "post",
        "openings/",
        {"title": "T", "role": "{role}", "hiring_manager": "nobody"},
        "hiring_manager",
    ),
    "opening: NUL in the manager's username": Bad(
        "post",
        "openings/",
        {"title": "T", "role": "{role}", "hiring_manager": "a\x00"},
        "hiring_manager",
    ),
    "opening: NUL in the role": Bad("post", "openings/", {"title": "T", "role": "r\x00"}, "role"),
    "opening: unknown level": Bad(
        "post", "openings/", {"title": "T", "role": "{role}", "level": "wizard"}, "level"
    ),
    "opening: role changed later": Bad("patch", "openings/{opening}/", {"role": "{role}"}, "role"),
    "opening: blank title": Bad("patch", "openings/{opening}/", {"title": ""}, "title"),
}


def _fill(value: Any, world: dict[str, Any]) -> Any:
    """Put the fixture's ids into a template; a whole-string placeholder keeps the id's type."""
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return world.get(value[1:-1], value)
    return value


@pytest.mark.parametrize("case", BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_bad_input_is_a_400_with_field_errors_and_writes_nothing(world, case):
    # given a writer and the database as it stands
    client = api(integration())
    before = row_counts()
    path = API + case.path.format(**world)

    # when
    send = getattr(client, case.method)
    if case.raw:
        response = send(path, case.body, content_type="application/json")
    else:
        response = send(path, _fill(case.body, world), format="json")

    # then
    assert response.status_code == 400, response.content
    assert case.error_key in response.json()
    assert row_counts() == before


@pytest.mark.parametrize(
    "query",
    [
        {"stage": "teleported"},
        {"opening": "abc"},
        {"opening": "1.5"},
        {"updated_after": "yesterday"},
        {"updated_after": "0001-01-01T00:00:00+01:00"},
        {"created_after": "9999-12-31T23:59:59-14:00"},
        {"has_github": "maybe"},
        {"search": "a\x00b"},
        {"source": "pigeon"},
    ],
)
def test_bad_filters_are_400s(world, query):
    # given
    client = api(integration())

    # when
    response = client.get(API + "candidates/", query)

    # then
    assert response.status_code == 400
    assert set(query) <= set(response.json())


@pytest.mark.parametrize("path", ["applications/", "openings/"])
def test_bad_filters_on_other_lists_are_400s(path):
    response = api(integration()).get(API + path, {"status": "x", "stage": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("path", "query"),
    [("candidates/", {"opening": 2**63}), ("applications/", {"candidate": 10**30})],
)
def test_ids_beyond_the_database_range_are_400s(world, path, query):
    response = api(integration()).get(API + path, query)
    assert response.status_code == 400
    assert set(query) <= set(response.json())


@pytest.mark.parametrize("page_size", [-5, 0, "000", "lots", "1.5", "²", " 7"])
def test_a_page_size_that_is_none_is_a_400_naming_it(world, page_size):
    response = api(integration()).get(API + "candidates/", {"page_size": page_size})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["A whole number from 1 to 200."]}


@pytest.mark.parametrize(
    ("page_size", "served"),
    [("", 50), ("002", 2), ("000000000002", 2), ("99999999999999", 200), ("9" * 5000, 200)],
)
def test_usable_page_sizes_are_served_within_the_maximum(world, page_size, served):
    for _ in range(3):
        CandidateFactory()
    response = api(integration()).get(API + "candidates/", {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(served, Candidate.objects.count())


@pytest.mark.parametrize("path", ["roles/", "openings/", "candidates/", "applications/"])
def test_options_describes_the_endpoint(path):
    response = api(integration()).options(API + path)
    assert response.status_code == 200


def test_other_content_types_are_refused():
    # given
    client = api(integration())

    # when
    response = client.post(API + "candidates/", {"full_name": "A"}, format="multipart")

    # then
    assert response.status_code == 415
    assert Candidate.objects.count() == 0


# --- 401 ----------------------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "roles/"),
    ("get", "openings/"),
    ("post", "openings/"),
    ("get", "candidates/"),
    ("post", "candidates/"),
    ("get", "candidates/{ada}/"),
    ("patch", "candidates/{ada}/"),
    ("put", "candidates/by-external-id/ATS-1/"),
    ("get", "applications/"),
    ("post", "applications/"),
    ("get", "applications/{application}/"),
    ("get", "applications/{application}/history/"),
    ("post", "applications/{application}/transitions/"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize(
    "header", [None, "Token not-a-real-key", "Bearer abc", "Token a b", "Token abc\x00def"]
)
def test_requests_without_a_valid_token_are_401s(world, method, path, header):
    # given
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    before = row_counts()

    # when
    response = getattr(client, method)(
        API + path.format(**world), {"full_name": "X", "to_stage": "screen"}, format="json"
    )

    # then
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()
    assert row_counts() == before


def test_an_inactive_users_token_is_refused():
    # given
    user = integration()
    client = api(user)
    user.is_active = False
    user.save(update_fields=["is_active"])

    # when / then
    assert client.get(API + "candidates/").status_code == 401


# --- 403 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "openings/", {"title": "T", "role": "{role}"}),
        ("patch", "openings/{opening}/", {"title": "T"}),
        ("post", "candidates/", {"full_name": "N"}),
        ("patch", "candidates/{ada}/", {"full_name": "N"}),
        ("put", "candidates/by-external-id/ATS-1/", {"full_name": "N"}),
        ("post", "applications/", {"candidate": "{bob}", "opening": "{opening}"}),
        ("post", "applications/{application}/transitions/", {"to_stage": "screen"}),
    ],
)
def test_hiring_managers_may_read_but_not_write(world, method, path, body):
    # given the manager of the opening Ada applied to
    roles.ensure_default_groups()
    manager = UserFactory(groups=[roles.HIRING_MANAGERS])
    Opening.objects.filter(pk=world["opening"]).update(hiring_manager=manager)
    client = api(manager)
    before = row_counts()

    # when
    response = getattr(client, method)(
        API + path.format(**world), _fill(body, world), format="json"
    )

    # then
    assert response.status_code == 403
    assert "detail" in response.json()
    assert row_counts() == before
    assert client.get(API + f"applications/{world['application']}/").status_code == 200


def test_transitions_need_the_permission_to_add_stage_changes(world):
    # given an account that may change applications but not record stage changes
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_application", "change_application"])
    )

    # when
    response = api(user).post(
        API + f"applications/{world['application']}/transitions/",
        {"to_stage": "screen"},
        format="json",
    )

    # then
    assert response.status_code == 403
    assert Application.objects.get(pk=world["application"]).stage == "sourced"


# --- 404 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "roles/astrologer/",
        "openings/999999/",
        "candidates/999999/",
        "candidates/100000000000000000000/",
        "candidates/by-external-id/NOPE/",
        "candidates/by-external-id/a%00b/",
        "applications/999999/",
        "applications/999999/history/",
        "applications/abc/",
        "nothing-here/",
        "candidates/?cursor=garbage",
        "candidates/?cursor=cD1hYmM=",  # position "abc"
        "candidates/?cursor=cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5",  # position beyond BIGINT
    ],
)
def test_unknown_things_are_json_404s(world, path):
    response = api(integration()).get(API + path)
    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"]}


def test_writes_to_unknown_records_are_404s_and_write_nothing(world):
    # given
    client = api(integration())
    before = row_counts()

    # when
    responses = [
        client.patch(API + "candidates/999999/", {"full_name": "N"}, format="json"),
        client.patch(API + "openings/999999/", {"title": "N"}, format="json"),
        client.post(API + "applications/999999/transitions/", {"to_stage": "screen"}),
    ]

    # then
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert row_counts() == before


def test_records_outside_a_managers_scope_are_404s(world):
    # given a hiring manager of another opening
    roles.ensure_default_groups()
    manager = UserFactory(groups=[roles.HIRING_MANAGERS])
    OpeningFactory(hiring_manager=manager)
    client = api(manager)

    # when / then: invisible exactly like nonexistent
    for path in [
        f"openings/{world['opening']}/",
        f"candidates/{world['ada']}/",
        "candidates/by-external-id/ATS-1/",
        f"applications/{world['application']}/",
        f"applications/{world['application']}/history/",
    ]:
        assert client.get(API + path).status_code == 404, path
    assert client.get(API + "applications/").json()["results"] == []
    assert client.get(API + "candidates/").json()["results"] == []
