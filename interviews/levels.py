"""The rubric's levels, 1 (weak) to 4 (strong), as scorecards and take-home grades use them."""

from __future__ import annotations

from typing import Any

LOWEST, HIGHEST = 1, 4


def is_level(value: Any) -> bool:
    """A whole number from 1 to 4; ``True`` and ``2.0`` are not levels."""
    return isinstance(value, int) and not isinstance(value, bool) and LOWEST <= value <= HIGHEST
