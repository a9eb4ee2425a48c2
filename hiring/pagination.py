"""Pagination for the hiring API.

An ATS walks the whole candidate list page by page while recruiters and sourcing jobs keep adding
rows. Offset pages would shift under it (a row inserted before the offset repeats one row on the
next page, a deletion skips one) and each page would pay for a ``COUNT(*)`` over the table. A
cursor on the primary key does neither: every page is ``WHERE id > <last id> ORDER BY id LIMIT n``
on the primary key index, and new rows only ever appear at the end."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
