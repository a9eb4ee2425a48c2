"""Fixtures for the direct tests of ``hiring.services``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hiring.models import (
    Application,
    BarVersion,
    Candidate,
    CandidateEmail,
    Opening,
    RoleBar,
    RoleProfile,
    StageChange,
)

HIRING_MODELS = (
    RoleProfile,
    RoleBar,
    BarVersion,
    Opening,
    Candidate,
    CandidateEmail,
    Application,
    StageChange,
)

Rows = dict[str, list[dict[str, Any]]]


@pytest.fixture
def hiring_rows() -> Callable[[], Rows]:
    """Every row of the hiring tables, every column. Take it before a call the service must
    refuse and compare after: "the database is untouched" then covers rows the test did not think
    of (a half-written candidate, a stray history row, a version published on the way)."""

    def rows() -> Rows:
        return {
            model.__name__: list(model.objects.order_by("pk").values()) for model in HIRING_MODELS
        }

    return rows
