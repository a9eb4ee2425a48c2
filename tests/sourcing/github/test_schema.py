"""The re-implementation routes generate an OpenAPI schema without warnings."""

from __future__ import annotations

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/reimplementation-runs/",
    "/api/v1/reimplementation-runs/{id}/",
    "/api/v1/papers/{arxiv_id}/implementations/",
    "/api/v1/openings/{id}/reimplementers/",
}


def test_views_generate_without_warnings_or_errors() -> None:
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include("sourcing.github.urls"))])

    with GENERATOR_STATS.silence():
        schema = generator.get_schema(request=None, public=True)

    assert set(schema["paths"]) == PATHS
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
    post = schema["paths"]["/api/v1/reimplementation-runs/"]["post"]
    assert {"200", "202", "400"} <= set(post["responses"])


def test_a_runs_paper_is_documented_as_nullable() -> None:
    # An opening's run has no paper of its own: its arxiv_id is null.
    generator = SchemaGenerator(patterns=[path("api/v1/", include("sourcing.github.urls"))])

    schema = generator.get_schema(request=None, public=True)

    assert schema["components"]["schemas"]["RunOutput"]["properties"]["arxiv_id"]["nullable"]
