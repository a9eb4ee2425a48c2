"""Pagination for the hiring API.

An ATS walks the whole candidate list page by page while recruiters and sourcing jobs keep adding
rows. Offset pages would shift under it (a row inserted before the offset repeats one row on the
next page, a deletion skips one) and each page would pay for a ``COUNT(*)`` over the table. A
cursor on the primary key does neither: every page is ``WHERE id > <last id> ORDER BY id LIMIT n``
on the primary key index, and new rows only ever appear at the end."""

import math
from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

from hiring.filters import MAX_ID


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request: Request) -> Any:
        """DRF checks the cursor's offset but passes its position to the query as is; a
        hand-made cursor with ``p=abc`` would then be a 500. Positions here are ids."""
        cursor: Cursor | None = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        position = str(cursor.position)
        if not position.isdigit() or int(position) > MAX_ID:
            raise NotFound(self.invalid_cursor_message)
        return cursor


class NewestFirstCursorPagination(IdCursorPagination):
    ordering = "-id"


class ScoreCursorPagination(CursorPagination):
    """Ranked lists: highest score first, ties by id. The cursor's position is a score."""

    ordering = ("-score", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

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
