"""The OpenAPI schema documents every error an operation can answer with.

An ATS team generates its client from the schema; an error status it does not list is one their
client treats as unexpected. Views declare their special responses with ``extend_schema``; this
schema class adds the ones that follow from how a view is built, where a view did not declare
them:

* 401 whenever a permission is required (all of the API);
* 403 for writes and for views with permissions beyond being signed in;
* 400 for writes and for operations taking query parameters (filters, a page size);
* 404 for paths naming an object, and for cursor-paginated lists (a cursor that is not one)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated

from core.api.errors import ERROR_DESCRIPTIONS


class HirebarAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self._error_codes():
            responses.setdefault(str(code), {"description": ERROR_DESCRIPTIONS[code]})
        return responses

    def _error_codes(self) -> list[int]:
        permissions = self.view.get_permissions()
        if all(isinstance(p, AllowAny) for p in permissions):
            return []
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
        return codes

    def _takes_query_parameters(self) -> bool:
        if self._is_list_view() and self._get_filter_parameters():  # type: ignore[no-untyped-call]
            return True
        return any(getattr(p, "location", None) == "query" for p in self.get_override_parameters())
