"""What every hiring API view shares: the requester, and the documented error responses."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import OpenApiResponse
from rest_framework.request import Request

from config.openapi import ERROR_DESCRIPTIONS
from hiring import selectors


def requester(request: Request) -> selectors.User:
    # Every view requires authentication, and ``AUTH_USER_MODEL`` is Django's own User.
    return cast(selectors.User, request.user)


# Declared per view where it helps the reader; ``config.openapi`` adds any a view leaves out.
ERROR_400 = OpenApiResponse(description=ERROR_DESCRIPTIONS[400])
ERROR_401 = OpenApiResponse(description=ERROR_DESCRIPTIONS[401])
ERROR_403 = OpenApiResponse(description=ERROR_DESCRIPTIONS[403])
ERROR_404 = OpenApiResponse(description=ERROR_DESCRIPTIONS[404])

READ_ERRORS = {401: ERROR_401, 404: ERROR_404}
LIST_ERRORS = {400: ERROR_400, 401: ERROR_401}
WRITE_ERRORS = {400: ERROR_400, 401: ERROR_401, 403: ERROR_403}
OBJECT_WRITE_ERRORS = {**WRITE_ERRORS, 404: ERROR_404}
