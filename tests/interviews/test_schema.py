"""The interviews endpoints are in the OpenAPI schema, which generates without warnings."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/kits/",
    "/api/v1/kits/{id}/",
    "/api/v1/interviews/",
    "/api/v1/scorecards/",
    "/api/v1/scorecards/{id}/",
    "/api/v1/scorecards/{id}/submit/",
    "/api/v1/scorecards/{id}/amendments/",
    "/api/v1/takehome-assignments/",
    "/api/v1/takehome-assignments/{id}/",
    "/api/v1/debugging-sessions/",
    "/api/v1/debugging-sessions/{id}/",
    "/api/v1/applications/{id}/verdict/",
]


def test_schema_lists_every_interviews_path(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert set(PATHS) <= set(schema["paths"])


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yaml"))
