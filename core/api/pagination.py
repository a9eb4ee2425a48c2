"""Pagination for every API.

An ATS walks the whole candidate list page by page while recruiters and sourcing jobs keep adding
rows. Offset pages would shift under it (a row inserted before the offset repeats one row on the
next page, a deletion skips one) and each page would pay for a ``COUNT(*)`` over the table. A
cursor on the primary key does neither: every page is ``WHERE id > <last id> ORDER BY id LIMIT n``
on the primary key index, and new rows only ever appear at the end."""

import math
from typing import Any

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

from core.api.filters import MAX_ID

_PAST_ANY_MAXIMUM = 9  # digits


class CheckedPageSize(CursorPagination):
    """``page_size`` from 1 to ``max_page_size`` (a larger one gives the maximum, as DRF does);
    one that is no page size (``0``, ``-5``, ``lots``) is a 400 naming the parameter, where DRF
    would silently serve the default."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    page_size_query_description = "Results per page, 1 to 200 (larger values give 200; default 50)."

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        digits = raw.lstrip("0")
        if not (raw.isascii() and raw.isdigit()) or not digits:
            raise ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        # Nine digits or more are past any maximum (and int() of thousands of digits raises).
        size = int(digits) if len(digits) < _PAST_ANY_MAXIMUM else self.max_page_size
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """As DRF documents them, with the least page size stated (no maximum: a larger one
        is served the maximum, not refused)."""
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
        return parameters


class IdCursorPagination(CheckedPageSize):
    ordering = "id"

    def decode_cursor(self, request: Request) -> Any:
        """DRF checks the cursor's offset but passes its position to the query as is; a
        hand-made cursor with ``p=abc`` would then be a 500. Positions here are ids."""
        cursor: Cursor | None = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        position = str(cursor.position)
        # ASCII digits only ("²" is a digit to isdigit() and not to int()), and few of them.
        if not (position.isascii() and position.isdigit()) or int(position[:20]) > MAX_ID:
            raise NotFound(self.invalid_cursor_message)
        return cursor


class NewestFirstCursorPagination(IdCursorPagination):
    ordering = "-id"


class ScoreCursorPagination(CheckedPageSize):
    """Ranked lists: highest score first, ties by id. The cursor's position is a score."""

    ordering = ("-score", "id")

    def decode_cursor(self, request: Request) -> Any:
        """As ``IdCursorPagination.decode_cursor``: a hand-made ``p=abc`` would reach the query
        as the score it is compared with, and be a 500."""
        cursor: Cursor | None = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        try:
            score = float(cursor.position)
        except ValueError:
            score = math.nan
        if not math.isfinite(score):
            raise NotFound(self.invalid_cursor_message)
        return cursor
