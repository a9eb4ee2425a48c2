from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_pooled_rates() -> Iterator[None]:
    """The forecast caches the pooled role and global rates for minutes; each test starts
    from its own data."""
    cache.clear()
    yield
    cache.clear()
