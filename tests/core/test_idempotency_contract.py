"""The Idempotency-Key contract outside a request: every POST of the OpenAPI schema documents the
header and the answers it adds, and the TTL cannot be configured below the 24 hours promised."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def test_every_post_documents_the_header_the_replay_and_the_409_and_422(schema):
    posts = [(p, o) for m, p, o in _operations(schema) if m == "POST"]
    # the creates and actions of every app (hiring, sourcing, github, interviews)
    assert {
        "/api/v1/applications/",
        "/api/v1/applications/{id}/transitions/",
        "/api/v1/sourcing-runs/",
        "/api/v1/reimplementation-runs/",
        "/api/v1/takehome-assignments/",
        "/api/v1/scorecards/{id}/submit/",
    } <= {path for path, _ in posts}
    for path, operation in posts:
        header = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
        assert header["in"] == "header", path
        assert not header.get("required"), path
        assert header["schema"]["maxLength"] == 255, path
        assert {"400", "409", "422"} <= set(operation["responses"]), path
        for code, response in operation["responses"].items():
            replayed = "Idempotent-Replayed" in response.get("headers", {})
            # answered before or instead of the view: never a replay
            assert replayed == (code not in {"401", "409", "422"}), (path, code)


def test_no_other_method_documents_the_header(schema):
    for method, path, operation in _operations(schema):
        if method != "POST":
            names = {p["name"] for p in operation.get("parameters", [])}
            assert "Idempotency-Key" not in names, (method, path)
            assert not {"409", "422"} & set(operation["responses"]), (method, path)


@pytest.mark.parametrize("value", ["12", "a day", ""])
def test_a_ttl_below_24_hours_or_not_a_number_stops_the_start(value):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        check=False,  # the test reads the exit code
        cwd=ROOT,
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "IDEMPOTENCY_KEY_TTL_HOURS": value,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "IDEMPOTENCY_KEY_TTL_HOURS must be a whole number of hours, at least 24" in (
        result.stderr
    )


def test_a_ttl_of_48_hours_is_accepted():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; print(s.IDEMPOTENCY_KEY_TTL_HOURS)",
        ],
        check=False,  # the test reads the exit code
        cwd=ROOT,
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "IDEMPOTENCY_KEY_TTL_HOURS": "48",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "48"
