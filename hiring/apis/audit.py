"""The audit trail: every recorded write, who made it through which channel, what changed.
Scoped like the rest of the API (a hiring manager reads the events of their own openings)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from core.api.errors import LIST_ERRORS
from core.api.filters import BoundedIsoDateTimeFilter, IdFilter, PrebuiltFilterSet
from core.api.pagination import NewestFirstCursorPagination
from core.events.models import Channel, Event
from core.requester import requester
from hiring import selectors


class AuditEventFilter(PrebuiltFilterSet):
    type = django_filters.CharFilter(help_text="Event type, e.g. candidate.updated.")
    object_type = django_filters.CharFilter(help_text="e.g. candidate, application, opening.")
    object_id = django_filters.CharFilter(help_text="The object's id (with object_type).")
    actor = IdFilter(field_name="actor_id", help_text="Id of the user who acted.")
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    request_id = django_filters.CharFilter()
    created_after = BoundedIsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="At or after this ISO 8601 time."
    )
    created_before = BoundedIsoDateTimeFilter(
        field_name="created_at", lookup_expr="lt", help_text="Before this ISO 8601 time."
    )

    class Meta:
        model = Event
        fields: list[str] = []


class AuditEventOutput(serializers.Serializer):
    id = serializers.CharField(source="uid", help_text="The event id (webhook-id of webhooks).")
    type = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    sequence = serializers.IntegerField(help_text="1, 2, 3... in the order the object changed.")
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    on_behalf_of = serializers.CharField(
        source="on_behalf_of.username", allow_null=True, default=None
    )
    actor_label = serializers.CharField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    request_id = serializers.CharField()
    changes = serializers.JSONField(help_text="{field: [before, after]}")
    object = serializers.JSONField(
        source="data", help_text="The object as the API showed it after the change."
    )
    created_at = serializers.DateTimeField()


@extend_schema_view(
    get=extend_schema(tags=["audit"], responses={200: AuditEventOutput(many=True), **LIST_ERRORS})
)
class AuditEventListApi(ListAPIView[Event]):
    """Newest first, in cursor pages."""

    serializer_class = AuditEventOutput
    pagination_class = NewestFirstCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditEventFilter

    def get_queryset(self) -> QuerySet[Event]:
        return selectors.audit_events_visible_to(user=requester(self.request))
