"""Reading Retry-After: delay-seconds, HTTP-dates (RFC 9110 allows both), and what is ignored."""

from __future__ import annotations

import pytest
from requests.structures import CaseInsensitiveDict

from sourcing.http.retry_after import retry_after_seconds

NOW = 1_800_000_000.0  # 2027-01-15T08:00:00Z


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("Fri, 15 Jan 2027 08:01:30 GMT", 90.0),
        ("Friday, 15-Jan-27 08:00:10 GMT", 10.0),  # the obsolete RFC 850 form
        ("Fri, 15 Jan 2027 08:00:30 -0000", 30.0),
        ("Fri, 15 Jan 2027 07:59:00 GMT", 0.0),  # already past: ask now
        ("soon", None),
        ("-5", None),
        ("", None),
    ],
)
def test_retry_after_values(value: str, seconds: float | None) -> None:
    headers = CaseInsensitiveDict({"retry-after": value})
    assert retry_after_seconds(headers, now=NOW) == seconds


def test_no_header_means_no_advice() -> None:
    assert retry_after_seconds(CaseInsensitiveDict(), now=NOW) is None
