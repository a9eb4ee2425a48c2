from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.smtp import SmtpServer, smtp_server, use_smtp


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpServer]:
    """A real SMTP server on an ephemeral port, and Django's SMTP backend pointed at it."""
    with smtp_server() as server:
        use_smtp(settings, server.port)
        yield server
