"""The ``Idempotency-Key`` middleware: every POST under ``/api/`` that carries the header, whichever
app's view answers it. It sits after Django's authentication and ``ActingMiddleware`` (so replays
and refusals carry ``X-Request-ID`` too) and before every view."""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import cast

from django.conf import settings
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.idempotency import header, services
from core.idempotency.models import IdempotencyKey
from core.idempotency.services import Outcome

logger = logging.getLogger(__name__)


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(header.HEADER)
        if key is None or request.method != "POST" or not request.path_info.startswith("/api/"):
            return self.get_response(request)
        user = _api_user(request)
        if user is None:
            # The view answers 401 (or the session's CSRF 403) as it always does; an anonymous
            # request has no account to keep a key for.
            return self.get_response(request)
        claimed = _claim(request, user=user, key=key)
        if isinstance(claimed, HttpResponse):
            return claimed
        return self._run(request, row=claimed)

    def _run(self, request: HttpRequest, *, row: IdempotencyKey) -> HttpResponse:
        """The view, for the first request with this key; its answer is kept for repeats."""
        try:
            response = self.get_response(request)
        except BaseException:
            services.idempotency_key_release(row=row)
            raise
        if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR or response.streaming:
            # A server error may heal: the retry must run, not be told the error again. (No API
            # view streams; a streamed answer could not be stored whole anyway.)
            services.idempotency_key_release(row=row)
            return response
        # 2xx, and 4xx too: a refusal is deterministic for the same request, and replaying it
        # keeps a retry from succeeding where the first attempt was refused.
        try:
            services.idempotency_key_record(
                row=row,
                status_code=response.status_code,
                content_type=response.get("Content-Type", ""),
                body=response.content,
            )
        except DatabaseError:
            # The request's own work is done and committed: the client gets its real answer,
            # not a 500 that would make it retry. The key stays "in progress" until it is
            # taken over as abandoned.
            logger.exception("could not keep the answer for an Idempotency-Key")
        return response


def _claim(request: HttpRequest, *, user: AuthUser, key: str) -> IdempotencyKey | HttpResponse:
    """The key's row, claimed for this request; or the answer instead of running the view: the
    refusal of a bad key, or the first request's answer replayed."""
    problem = header.key_problem(key)
    body = b""
    if problem is None:
        try:
            body = request.body
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            problem = f"Allowed only on request bodies of at most {limit} bytes."
    if problem is not None:
        return _key_error(problem)
    fingerprint = services.request_fingerprint(
        method=request.method or "POST", path=request.get_full_path(), body=body
    )
    claim = services.idempotency_key_claim(user=user, key=key, fingerprint=fingerprint)
    if claim.outcome is Outcome.OTHER_ACCOUNT:
        return _key_error(header.OTHER_ACCOUNT)
    if claim.outcome is Outcome.MISMATCH:
        return JsonResponse({"detail": header.MISMATCH}, status=HTTPStatus.UNPROCESSABLE_ENTITY)
    if claim.outcome is Outcome.IN_PROGRESS or claim.row is None:
        return JsonResponse({"detail": header.IN_PROGRESS}, status=HTTPStatus.CONFLICT)
    if claim.outcome is Outcome.REPLAY:
        row = claim.row
        replay = HttpResponse(
            bytes(row.body), status=row.status_code, content_type=row.content_type or None
        )
        replay[header.REPLAYED_HEADER] = "true"
        return replay
    return claim.row


def _api_user(request: HttpRequest) -> AuthUser | None:
    """The account the API's views will see, found by the API's own authentication classes in
    their order, as DRF's ``Request`` runs them (token with its credentials cache, session with
    its CSRF check, a test client's forced user); None if none authenticates. Unlike reading
    ``Request.user``, this leaves ``request.user`` as it was for the view."""
    classes = cast(list[type[BaseAuthentication]], api_settings.DEFAULT_AUTHENTICATION_CLASSES)
    drf_request = Request(request, authenticators=[cls() for cls in classes])
    for authenticator in drf_request.authenticators or ():
        try:
            found = authenticator.authenticate(drf_request)
        except APIException:
            return None
        if found is not None:
            user = found[0]
            return user if isinstance(user, AuthUser) and user.is_authenticated else None
    return None


def _key_error(message: str) -> JsonResponse:
    return JsonResponse({header.HEADER: [message]}, status=400)
