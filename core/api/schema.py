"""The OpenAPI schema documents every error an operation can answer with.

An ATS team generates its client from the schema; an error status it does not list is one their
client treats as unexpected. Views declare their special responses with ``extend_schema``; this
schema class adds the ones that follow from how a view is built, where a view did not declare
them:

* 401 whenever a permission is required (all of the API);
* 403 for writes and for views with permissions beyond being signed in;
* 400 for writes and for operations taking query parameters (filters, a page size);
* 404 for paths naming an object, and for cursor-paginated lists (a cursor that is not one);
* for every POST, the ``Idempotency-Key`` header (``core.idempotency``, one middleware for the
  whole API, so no view declares it), the ``Idempotent-Replayed`` answer header, and the 409
  and 422 that header adds;
* ``additionalProperties: false`` for request bodies whose serializer refuses keys it does not
  declare (a class attribute ``rejects_unknown_fields = True``): a client generated from the
  schema then knows an extra key is an error, not something ignored."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated

from core.api.errors import ERROR_DESCRIPTIONS
from core.idempotency import header

IDEMPOTENCY_KEY = OpenApiParameter(
    name=header.HEADER,
    type={"type": "string", "minLength": 1, "maxLength": header.MAX_LENGTH},
    location=OpenApiParameter.HEADER,
    description=header.PARAMETER_DESCRIPTION,
)
IDEMPOTENT_REPLAYED = OpenApiParameter(
    name=header.REPLAYED_HEADER,
    type={"type": "string", "enum": ["true"]},
    location=OpenApiParameter.HEADER,
    description=header.REPLAYED_DESCRIPTION,
    response=True,
)
DESCRIPTIONS = {**ERROR_DESCRIPTIONS, **header.ERROR_DESCRIPTIONS}
# Answered before the view runs or instead of it, so never a stored answer played again.
NEVER_REPLAYED = {"401", "409", "422"}


class HirebarAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in map(str, self._error_codes()):
            if code not in responses:
                # As drf-spectacular builds a declared response: headers first, if any.
                headers = self._get_response_headers_for_code(code, direction)
                responses[code] = {"headers": headers} if headers else {}
                responses[code]["description"] = DESCRIPTIONS[int(code)]
        return responses

    def _map_serializer(
        self, serializer: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer(  # type: ignore[no-untyped-call]
            serializer, direction, bypass_extensions
        )
        if direction == "request" and getattr(serializer, "rejects_unknown_fields", False):
            schema["additionalProperties"] = False
        return schema

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = list(super().get_override_parameters())
        if self._idempotent():
            parameters += [IDEMPOTENCY_KEY, IDEMPOTENT_REPLAYED]
        return parameters

    def _get_response_headers_for_code(
        self, status_code: str, direction: Any = "response"
    ) -> dict[str, Any]:
        headers: dict[str, Any] = super()._get_response_headers_for_code(status_code, direction)
        if status_code in NEVER_REPLAYED:
            headers.pop(header.REPLAYED_HEADER, None)
        return headers

    def _idempotent(self) -> bool:
        # The middleware keeps keys per account: it does nothing for a view anyone may call.
        return self.method == "POST" and not self._public()

    def _public(self) -> bool:
        return all(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def _error_codes(self) -> list[int]:
        if self._public():
            return []
        permissions = self.view.get_permissions()
        write = self.method not in SAFE_METHODS
        codes = [401]
        if write or any(not isinstance(p, IsAuthenticated) for p in permissions):
            codes.append(403)
        # drf-spectacular leaves these two helpers unannotated.
        paginator = self._get_paginator() if self._is_list_view() else None  # type: ignore[no-untyped-call]
        sized = getattr(paginator, "page_size_query_param", None) is not None
        if write or sized or self._takes_query_parameters():
            codes.append(400)
        if "{" in self.path or isinstance(paginator, CursorPagination):
            codes.append(404)
        if self._idempotent():
            codes += [409, 422]
        return codes

    def _takes_query_parameters(self) -> bool:
        if self._is_list_view() and self._get_filter_parameters():  # type: ignore[no-untyped-call]
            return True
        return any(getattr(p, "location", None) == "query" for p in self.get_override_parameters())
