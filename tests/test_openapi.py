"""The OpenAPI schema lists the errors every operation can answer with (``config.openapi``), and
the API answers with the documented ones."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.hiring.factories import RoleProfileFactory, UserFactory
from tests.sourcing.factories import SourcingRunFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


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
        if any(p["name"] == "cursor" for p in operation.get("parameters", [])):
            assert "404" in codes, where  # a cursor that is not one


def test_a_cursor_that_is_not_one_is_the_documented_404_on_every_list(operations):
    # given every cursor-paginated list, and a user allowed to read them all
    RoleProfileFactory(slug="ml-engineer")
    run = SourcingRunFactory()
    client = APIClient()
    client.force_authenticate(UserFactory(is_superuser=True))
    lists = [
        path
        for method, path, operation in operations
        if method == "GET" and any(p["name"] == "cursor" for p in operation.get("parameters", []))
    ]
    cursor = base64.b64encode(b"p=not-a-position").decode()

    for path in lists:
        # when
        url = path.replace("{id}", str(run.pk))  # the one list under an object: a run's prospects
        response = client.get(url, {"cursor": cursor, "role": "ml-engineer"})

        # then
        assert response.status_code == 404, (path, response.content)
        assert response.json() == {"detail": "Invalid cursor"}, path
