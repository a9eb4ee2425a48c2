"""The audit trail in the admin: every recorded event, read-only, and the history block other
apps' pages show for one object."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.admin.readonly import ReadOnlyModelAdmin
from core.events.models import Event

HISTORY_LIMIT = 50
CELL_CHARS = 120  # a before/after value longer than this is cut in the table


@admin.register(Event)
class EventAdmin(ReadOnlyModelAdmin):
    list_display = ["created_at", "type", "object_type", "object_id", "sequence", "actor_label"]
    list_filter = ["type", "object_type", "channel"]
    search_fields = ["object_id", "actor_label", "request_id", "uid"]
    list_select_related = ["actor", "on_behalf_of"]
    date_hierarchy = "created_at"
    ordering = ["-id"]  # newest first, as the API lists them
    fields = (
        "uid",
        "type",
        "object_type",
        "object_id",
        "sequence",
        "created_at",
        "actor",
        "on_behalf_of",
        "actor_label",
        "channel",
        "request_id",
        "changes_table",
        "data",
    )
    readonly_fields = fields

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("core.view_event")

    @admin.display(description="changes")
    def changes_table(self, event: Event) -> str:
        return changes_html(event.changes)


def changes_html(changes: dict[str, Any]) -> str:
    if not changes:
        return "—"
    return format_html(
        "<table><tr><th>field</th><th>before</th><th>after</th></tr>{}</table>",
        format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((name, _short(pair[0]), _short(pair[1])) for name, pair in changes.items()),
        ),
    )


def _short(value: Any) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 3] + "…"


def history_html(*, object_type: str, object_id: Any) -> str:
    """The object's events, newest first, as a table for its admin page (``readonly_fields``)."""
    events = (
        Event.objects.filter(object_type=object_type, object_id=str(object_id))
        .order_by("-sequence")
        .only("pk", "type", "sequence", "created_at", "actor_label", "channel", "changes")[
            :HISTORY_LIMIT
        ]
    )
    rows = [
        (
            reverse("admin:core_event_change", args=[e.pk]),
            e.sequence,
            e.created_at.strftime("%Y-%m-%d %H:%M"),
            e.type,
            e.actor_label,
            e.get_channel_display(),
            changes_html(e.changes),
        )
        for e in events
    ]
    if not rows:
        return "No recorded changes yet."
    return format_html(
        "<table><tr><th>#</th><th>when</th><th>what</th><th>who</th><th>through</th>"
        "<th>changes</th></tr>{}</table>",
        format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
            "<td>{}</td></tr>",
            rows,
        ),
    )
