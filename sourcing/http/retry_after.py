"""The ``Retry-After`` header (RFC 9110, section 10.2.3): delay-seconds or an HTTP-date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from email.utils import parsedate_to_datetime


def retry_after_seconds(headers: Mapping[str, str], *, now: float) -> float | None:
    """Seconds to wait from ``now`` (a Unix time), or None when the header is absent or
    unreadable. A date in the past means "now" (0). ``headers`` should be case-insensitive, as
    ``requests`` gives them."""
    value = (headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        # HTTP dates are always GMT; "-0000" parses without a zone.
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)
