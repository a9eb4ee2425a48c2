"""The project's URLs plus two API views whose timing and failures a test controls: one that
holds its request until the test lets it go, one that fails with a 500 the first time. Used with
``@pytest.mark.urls`` by the Idempotency-Key tests; the middleware under test is the real one."""

from __future__ import annotations

import threading
from typing import Any

from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


class Gate:
    """What the views did, and the events that hold the blocking one."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.calls: list[dict[str, Any]] = []

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]


gate = Gate()


class HeldApi(APIView):
    def post(self, request: Request) -> Response:
        gate.calls.append(request.data)
        gate.arrived.set()
        assert gate.release.wait(timeout=20), "the test never released the request"
        return Response({"call": len(gate.calls)}, status=201)


class FailsOnceApi(APIView):
    def post(self, request: Request) -> Response:
        gate.calls.append(request.data)
        if len(gate.calls) == 1:
            raise RuntimeError("a transient failure (the database went away)")
        return Response({"call": len(gate.calls)}, status=201)


urlpatterns = [
    path("api/v1/test-only/held/", HeldApi.as_view()),
    path("api/v1/test-only/fails-once/", FailsOnceApi.as_view()),
    *project_urlpatterns,
]
