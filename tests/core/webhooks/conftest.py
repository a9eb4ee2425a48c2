from __future__ import annotations

from collections.abc import Iterator

import pytest
from rest_framework.test import APIClient

from tests.core.webhooks.receiver import Receiver
from tests.hiring.factories import TokenFactory, recruiter


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as server:
        yield server


@pytest.fixture
def fast_retries(settings):  # type: ignore[no-untyped-def]
    """Timeouts and backoff in fractions of a second, so a test sees several attempts."""
    settings.WEBHOOK_TIMEOUT_SECONDS = 2.0
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.05
    settings.WEBHOOK_REQUEUE_AFTER_SECONDS = 0
    return settings


@pytest.fixture
def recruiter_api() -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=recruiter()).key}")
    return client
