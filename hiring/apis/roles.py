"""Role profiles and their bars: read-only, looked up by slug, visible to every API user."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import ListAPIView, RetrieveAPIView

from core.api.errors import READ_ERRORS
from hiring import selectors
from hiring.models import RoleProfile
from hiring.serializers import RoleOutput


@extend_schema_view(
    get=extend_schema(
        tags=["roles"],
        responses={200: RoleOutput(many=True), **READ_ERRORS},
    )
)
class RoleListApi(ListAPIView[RoleProfile]):
    """Active role profiles with their current bars, bar version and sourcing hints. A handful of
    rows, so not paginated."""

    serializer_class = RoleOutput
    pagination_class = None
    filter_backends = []

    def get_queryset(self) -> QuerySet[RoleProfile]:
        return selectors.role_profiles_with_bars()


@extend_schema_view(get=extend_schema(tags=["roles"], responses={200: RoleOutput, **READ_ERRORS}))
class RoleDetailApi(RetrieveAPIView[RoleProfile]):
    serializer_class = RoleOutput
    lookup_field = "slug"
    filter_backends = []

    def get_queryset(self) -> QuerySet[RoleProfile]:
        return selectors.role_profiles_with_bars()
