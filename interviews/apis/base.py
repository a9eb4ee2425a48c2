from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework.request import Request

from interviews.selectors import User

READ_ERRORS: dict[int, Any] = {
    401: OpenApiResponse(description="Not authenticated."),
    404: OpenApiResponse(description="Does not exist or not visible to you."),
}
WRITE_ERRORS: dict[int, Any] = {
    **READ_ERRORS,
    400: OpenApiResponse(description="Field errors."),
    403: OpenApiResponse(description="Your account may not do this."),
}


def requester(request: Request) -> User:
    return request.user
