"""Shared fixtures. Tests that need PostgreSQL or Redis use the ``postgres``/``redis`` fixtures:
they skip on a bare laptop, and fail instead of skipping when HIREBAR_REQUIRE_SERVICES=1
(``.ci/run`` sets it) so CI can never go green without having run them."""

from __future__ import annotations

import os

import pytest
from django.db import connection


def _missing(what: str) -> None:
    if os.environ.get("HIREBAR_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what} is required here (HIREBAR_REQUIRE_SERVICES=1) but not configured.")
    pytest.skip(f"{what} not configured")


@pytest.fixture
def postgres() -> None:
    if connection.vendor != "postgresql":
        _missing("PostgreSQL (DATABASE_URL=postgres://...)")


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        _missing("Redis (CELERY_BROKER_URL=redis://...)")
    return url
