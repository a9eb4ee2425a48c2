"""Request plumbing shared by every app: optional trailing slashes on the API, and the site's own
error responses (JSON under /api/, the site's templates elsewhere) also when DEBUG is on."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import is_valid_path

from config import api_errors

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"


class ApiOptionalSlashMiddleware:
    """Serve ``/api/...`` paths without their trailing slash as the route with it.

    Every API route ends in ``/``. An ATS calling ``POST /api/v1/applications/4/transitions``
    would otherwise get CommonMiddleware's APPEND_SLASH redirect, which drops the body (or, with
    DEBUG, a 500 that says so). Rewriting the path inside the request, only when the slashed
    path is a route and the given one is not, works for every method and every app's URLconf
    without duplicating routes; the OpenAPI schema and ``reverse`` keep the canonical form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(API_PREFIX) and not path.endswith("/"):
            urlconf = getattr(request, "urlconf", None)
            if not is_valid_path(path, urlconf) and is_valid_path(f"{path}/", urlconf):
                request.path_info = f"{path}/"
                request.path = f"{request.path}/"
        return self.get_response(request)


class SiteErrorsMiddleware:
    """The site's error responses, whatever DEBUG says.

    With DEBUG on (``make run``) Django answers a 404 with its technical page listing every URL
    pattern, and an exception with a traceback page; ``handler404``/``handler500`` only apply
    with DEBUG off. That leaks the URL map to a candidate holding a wrong take-home link and
    gives an ATS HTML where it expects JSON. So: a path no route matches and an ``Http404``
    raised by a page answer through ``config.api_errors.not_found`` (JSON under /api/, the
    site's 404 template elsewhere); an exception under /api/ answers JSON 500 (pages keep
    Django's traceback in DEBUG, which is what a developer wants there)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # With DEBUG off the URL resolver's 404 already goes to handler404; the extra resolve is
        # only needed (and only paid) in DEBUG.
        if settings.DEBUG and not is_valid_path(
            request.path_info, getattr(request, "urlconf", None)
        ):
            return api_errors.not_found(request, Http404())
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return api_errors.not_found(request, exception)
        if settings.DEBUG and request.path.startswith(API_PREFIX):
            logger.error(
                "Internal Server Error: %s",
                request.path,
                exc_info=exception,
                extra={"request": request},
            )
            return api_errors.server_error(request)
        return None
