"""The OpenAPI schema and the interactive docs of the hiring API."""

from __future__ import annotations

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

HIRING_PATHS = [
    "/api/v1/roles/",
    "/api/v1/roles/{slug}/",
    "/api/v1/openings/",
    "/api/v1/openings/{id}/",
    "/api/v1/candidates/",
    "/api/v1/candidates/{id}/",
    "/api/v1/candidates/by-external-id/{external_id}/",
    "/api/v1/applications/",
    "/api/v1/applications/{id}/",
    "/api/v1/applications/{id}/history/",
    "/api/v1/applications/{id}/transitions/",
]


def test_schema_endpoint_serves_every_hiring_path(client):
    # when
    response = client.get("/api/schema/", {"format": "json"})

    # then
    assert response.status_code == 200
    schema = response.json()
    assert set(HIRING_PATHS) <= set(schema["paths"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    candidate_list = schema["paths"]["/api/v1/candidates/"]["get"]
    params = {p["name"] for p in candidate_list["parameters"]}
    assert {"cursor", "page_size", "search", "stage", "role", "updated_after"} <= params


def test_hiring_views_generate_without_warnings_or_errors():
    # given only the hiring routes, so other apps' schema issues are theirs to report
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include("hiring.urls"))])

    # when
    with GENERATOR_STATS.silence():
        schema = generator.get_schema(request=None, public=True)

    # then
    assert set(HIRING_PATHS) <= set(schema["paths"])
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)


def test_docs_page_renders(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
