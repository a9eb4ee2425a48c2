"""Shared fixtures. Tests that need PostgreSQL or Redis use the ``postgres``/``redis`` fixtures:
they skip on a bare laptop, and fail instead of skipping when HIREBAR_REQUIRE_SERVICES=1
(``.ci/run`` sets it) so CI can never go green without having run them. The same goes for the
``browser`` fixture (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

# Playwright's sync API runs an event loop in the test's thread; Django's ORM calls made by the
# test itself are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


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


@pytest.fixture
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("HIREBAR_REQUIRE_SERVICES") == "1":
            pytest.fail("Debian's chromium (/usr/bin/chromium) is required here but missing.")
        pytest.skip("chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
            # ORM calls the test made while Playwright's loop ran got connections of their own
            # (Django keeps them per context there), which the test database's teardown never
            # closed: one was still open when it dropped the database.
            connections.close_all()
