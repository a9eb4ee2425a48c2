"""One error vocabulary for every API and its OpenAPI descriptions.

Services raise Django's ``ValidationError`` (they are shared with the admin and commands, which do
not know DRF); the API answers those with a 400 and field errors, never a 500. Views declare the
errors they answer with from the constants below; ``core.api.schema`` adds the ones a view's shape
implies where the view does not declare them, with the same words."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

ERROR_DESCRIPTIONS = {
    400: "Invalid input: `{field: [messages]}`.",
    401: "Missing or invalid token: `{detail}`.",
    403: "The token's user may not do this: `{detail}`.",
    404: "Unknown, or not visible to the requester: `{detail}`.",
}

ERROR_400 = OpenApiResponse(description=ERROR_DESCRIPTIONS[400])
ERROR_401 = OpenApiResponse(description=ERROR_DESCRIPTIONS[401])
ERROR_403 = OpenApiResponse(description=ERROR_DESCRIPTIONS[403])
ERROR_404 = OpenApiResponse(description=ERROR_DESCRIPTIONS[404])

READ_ERRORS = {401: ERROR_401, 404: ERROR_404}
LIST_ERRORS = {400: ERROR_400, 401: ERROR_401}
WRITE_ERRORS = {400: ERROR_400, 401: ERROR_401, 403: ERROR_403}
OBJECT_WRITE_ERRORS = {**WRITE_ERRORS, 404: ERROR_404}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with Django's ``ValidationError`` answered as DRF's: a 400 with field
    errors (``non_field_errors`` for an error not tied to a field)."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail: Any = {
                field: [str(m) for e in errors for m in e.messages]
                for field, errors in exc.error_dict.items()
            }
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)
