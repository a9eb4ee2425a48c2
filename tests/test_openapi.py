"""The OpenAPI schema lists the errors every operation can answer with (``core.api.schema``), and
the API answers with the documented ones."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.hiring.factories import CandidateFactory, RoleProfileFactory, UserFactory
from tests.sourcing.factories import SourcingRunFactory

pytestmark = pytest.mark.django_db

Operations = list[tuple[str, str, dict[str, Any]]]


@pytest.fixture(scope="module")
def operations() -> Operations:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def _lists_taking(operations: Operations, parameter: str) -> list[str]:
    return [
        path
        for method, path, operation in operations
        if method == "GET" and any(p["name"] == parameter for p in operation.get("parameters", []))
    ]


def _operation(operations: Operations, method: str, path: str) -> dict[str, Any]:
    return next(op for m, p, op in operations if (m, p) == (method, path))


@pytest.fixture
def ask() -> Any:
    """GET a list path as a superuser, ``{id}`` being a candidate for a candidate's lists (its
    messages) and a sourcing run otherwise (a run's prospects), and ``role`` the one the
    role-scoped lists require."""
    RoleProfileFactory(slug="ml-engineer")
    run = SourcingRunFactory()
    candidate = CandidateFactory()
    client = APIClient()
    client.force_authenticate(UserFactory(is_superuser=True))

    def get(path: str, params: dict[str, str]) -> Any:
        owner = candidate if path.startswith("/api/v1/candidates/{id}/") else run
        return client.get(path.replace("{id}", str(owner.pk)), {**params, "role": "ml-engineer"})

    return get


def test_every_operation_documents_the_errors_its_shape_implies(operations):
    assert len(operations) > 40
    for method, path, operation in operations:
        codes = set(operation["responses"])
        where = f"{method} {path}: {sorted(codes)}"
        assert "401" in codes, where
        if "{" in path:
            assert "404" in codes, where
        if method not in ("GET", "HEAD", "OPTIONS"):
            assert {"400", "403"} <= codes, where
        names = {p["name"] for p in operation.get("parameters", [])}
        if "cursor" in names:
            assert "404" in codes, where  # a cursor that is not one
        if "page_size" in names:
            assert "400" in codes, where  # a page size that is not one


@pytest.mark.parametrize("position", ["not-a-position", "²", "9" * 5000])
def test_a_cursor_that_is_not_one_is_the_documented_404_on_every_list(operations, ask, position):
    cursor = base64.b64encode(f"p={position}".encode()).decode()
    lists = _lists_taking(operations, "cursor")
    assert len(lists) > 10

    for path in lists:
        response = ask(path, {"cursor": cursor})

        assert response.status_code == 404, (path, response.content)
        assert response.json() == {"detail": "Invalid cursor"}, path


def test_a_page_size_that_is_none_is_the_documented_400_on_every_list(operations, ask):
    lists = _lists_taking(operations, "page_size")
    assert len(lists) > 10

    for path in lists:
        response = ask(path, {"page_size": "0"})

        assert response.status_code == 400, (path, response.content)
        assert list(response.json()) == ["page_size"], path


def test_query_ids_are_documented_as_whole_numbers_from_1_and_0_is_the_400_naming_them(
    operations, ask
):
    """A client generated from the schema sends only ids the API takes: never 0 or 1.5."""
    checked = []
    for method, path, operation in operations:
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            name, schema = parameter["name"], parameter["schema"]
            assert schema.get("type") != "number", (path, name)  # nothing takes fractions
            if method != "GET" or schema.get("type") != "integer" or name == "page_size":
                continue
            assert schema.get("minimum") == 1, (path, name)
            response = ask(path, {name: "0"})
            assert response.status_code == 400, (path, name, response.content)
            assert name in response.json(), (path, name, response.content)
            checked.append((path, name))
    assert len(checked) >= 9


def test_page_size_is_documented_from_1(operations):
    sizes = [
        parameter["schema"]
        for _method, _path, operation in operations
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "page_size"
    ]
    assert len(sizes) > 10
    assert all(size == {"type": "integer", "minimum": 1} for size in sizes), sizes


def test_bodies_that_refuse_unknown_keys_say_so_and_others_do_not():
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    closed = {name for name, c in components.items() if c.get("additionalProperties") is False}
    assert {
        "CandidateInputRequest",
        "PatchedCandidateInputRequest",
        "CandidateUpsertInputRequest",
        "ApplicationCreateInputRequest",
        "TransitionInputRequest",
        "InterviewScheduleInputRequest",
        "ScorecardInputRequest",
        "TakeHomeAssignInputRequest",
    } <= closed
    # Answers are not request bodies; a request body that takes any key is not closed.
    assert not any(name.endswith("Output") for name in closed)
    assert "WebhookEndpointInputRequest" not in closed


def test_a_list_without_a_search_neither_documents_one_nor_refuses_one(operations):
    candidate = CandidateFactory()
    client = APIClient()
    client.force_authenticate(UserFactory(is_superuser=True))
    messages = _operation(operations, "GET", "/api/v1/candidates/{id}/messages/")

    response = client.get(f"/api/v1/candidates/{candidate.pk}/messages/", {"search": "a\x00b"})

    assert "search" not in {p["name"] for p in messages.get("parameters", [])}
    assert response.status_code == 200, response.content


def test_scheduling_for_an_application_nobody_may_see_is_the_documented_404(operations):
    client = APIClient()
    client.force_authenticate(UserFactory(is_superuser=True))
    schedule = _operation(operations, "POST", "/api/v1/interviews/")

    response = client.post(
        "/api/v1/interviews/",
        {"application": 999_999, "kit": 1, "scheduled_at": "2030-01-01T09:00:00Z"},
        headers={"Idempotency-Key": "schedule-missing-application"},
    )

    assert response.status_code == 404, response.content
    assert "404" in schedule["responses"]
