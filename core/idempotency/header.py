"""The ``Idempotency-Key`` header: what a valid key is, and the words the API and its OpenAPI
schema (``core.api.schema``) use for the answers the header adds. No model import here, so the
schema class can use it before apps are ready."""

from __future__ import annotations

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_LENGTH = 255

ERROR_DESCRIPTIONS = {
    409: "A request with the same `Idempotency-Key` is still being processed: `{detail}`. "
    "Retry once it has finished.",
    422: "The `Idempotency-Key` was already used for a different request (method, path or "
    "body): `{detail}`.",
}

PARAMETER_DESCRIPTION = (
    "Makes a retry safe: the same key with the same request (method, path, body byte for byte) "
    "answers the first response's status and body again, with `Idempotent-Replayed: true`, and "
    "writes nothing. The same key with a different request is a 422; a repeat while the first "
    "is still running is a 409. Keys belong to the account that first sent them (another "
    "account's key is a 400) and are kept at least 24 hours. Use a new random key (a UUID) per "
    "operation; 1 to 255 printable ASCII characters."
)
REPLAYED_DESCRIPTION = (
    "`true` when this answer is the stored first answer to the same `Idempotency-Key`."
)

IN_PROGRESS = "A request with this Idempotency-Key is still in progress; retry after it finishes."
MISMATCH = (
    "This Idempotency-Key was already used for a different request (method, path or body). "
    "Use a new key for a new request."
)
OTHER_ACCOUNT = "This key was already used by another account. Use a new key for each request."


def key_problem(value: str) -> str | None:
    """Why ``value`` cannot be an idempotency key, in the words of a field error; None if it can.
    Printable ASCII only: a header is Latin-1 on the wire, and a NUL byte would make PostgreSQL
    raise instead of answering."""
    if not value:
        return "This field may not be blank."
    if len(value) > MAX_LENGTH:
        return f"Ensure this field has no more than {MAX_LENGTH} characters."
    if not all(" " <= c <= "~" for c in value):
        return "Only printable ASCII characters are allowed (a UUID makes a good key)."
    return None
