"""Every request acts through a channel (admin, API or the interviewer pages) with an id, echoed
as ``X-Request-ID`` so an ATS can quote it; a request id the client sends is kept."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.events.acting import acting
from core.events.models import Channel

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def _channel(path: str) -> str:
    if path.startswith("/admin/"):
        return Channel.ADMIN
    if path.startswith("/api/"):
        return Channel.API
    return Channel.WEB


class ActingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.match(given) else ""
        with acting(channel=_channel(request.path), request=request, request_id=request_id) as now:
            response = self.get_response(request)
        response["X-Request-ID"] = now.request_id
        return response
