from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api() -> Any:
    """An API client; ``api.as_user(user)`` authenticates as someone else for the next calls."""
    client = APIClient()

    def as_user(user: Any) -> APIClient:
        client.force_authenticate(user=user)
        return client

    client.as_user = as_user  # type: ignore[attr-defined]
    return client


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded take-homes go to a per-test directory, not the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def smtp(settings: Any) -> Iterator[Any]:
    """A real SMTP server on an ephemeral port, and Django's SMTP backend pointed at it."""
    from tests.smtp import smtp_server, use_smtp

    with smtp_server() as server:
        use_smtp(settings, server.port)
        yield server
