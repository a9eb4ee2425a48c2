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
