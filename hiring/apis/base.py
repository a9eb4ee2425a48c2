"""What every hiring API view shares: the requester, and the documented error responses."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import OpenApiResponse
from rest_framework.request import Request

from hiring import selectors


def requester(request: Request) -> selectors.User:
    # Every view requires authentication, and ``AUTH_USER_MODEL`` is Django's own User.
    return cast(selectors.User, request.user)


ERROR_400 = OpenApiResponse(description="Invalid input: `{field: [messages]}`.")
ERROR_401 = OpenApiResponse(description="Missing or invalid token: `{detail}`.")
ERROR_403 = OpenApiResponse(description="The token's user may not do this: `{detail}`.")
ERROR_404 = OpenApiResponse(description="Unknown, or not visible to the requester: `{detail}`.")

READ_ERRORS = {401: ERROR_401, 404: ERROR_404}
LIST_ERRORS = {400: ERROR_400, 401: ERROR_401}
WRITE_ERRORS = {400: ERROR_400, 401: ERROR_401, 403: ERROR_403}
OBJECT_WRITE_ERRORS = {**WRITE_ERRORS, 404: ERROR_404}
