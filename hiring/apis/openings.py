"""Openings: listed and read within the requester's scope (a hiring manager sees the openings
they manage), created and changed by accounts with the model permissions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import LIST_ERRORS, OBJECT_WRITE_ERRORS, READ_ERRORS, WRITE_ERRORS
from core.api.pagination import IdCursorPagination
from core.requester import requester
from hiring import selectors, services
from hiring.filters import OpeningFilter
from hiring.models import Opening
from hiring.permissions import HiringWriteAccess, access_opening_by_id
from hiring.serializers import OpeningInput, OpeningOutput, OpeningUpdateInput


@extend_schema_view(
    get=extend_schema(tags=["openings"], responses={200: OpeningOutput(many=True), **LIST_ERRORS})
)
class OpeningListCreateApi(ListAPIView[Opening]):
    permission_classes = [HiringWriteAccess]
    write_model = Opening
    serializer_class = OpeningOutput
    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = OpeningFilter

    def get_queryset(self) -> QuerySet[Opening]:
        return selectors.openings_visible_to(user=requester(self.request))

    @extend_schema(
        tags=["openings"],
        request=OpeningInput,
        responses={201: OpeningOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = OpeningInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        role_slug = fields.pop("role")
        role_profile = selectors.role_profiles_with_bars().filter(slug=role_slug).first()
        if role_profile is None:
            raise ValidationError({"role": [f'No active role profile "{role_slug}".']})
        opening = services.opening_create(
            role_profile=role_profile, fields=fields, by=requester(request)
        )
        return Response(OpeningOutput(opening).data, status=status.HTTP_201_CREATED)


class OpeningDetailApi(APIView):
    permission_classes = [HiringWriteAccess]
    write_model = Opening

    @extend_schema(tags=["openings"], responses={200: OpeningOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        opening = access_opening_by_id(requester(request), pk)
        return Response(OpeningOutput(opening).data)

    @extend_schema(
        tags=["openings"],
        request=OpeningUpdateInput(partial=True),
        responses={200: OpeningOutput, **OBJECT_WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        opening = access_opening_by_id(requester(request), pk)
        serializer = OpeningUpdateInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        opening = services.opening_update(
            opening=opening, fields=serializer.validated_data, by=requester(request)
        )
        return Response(OpeningOutput(opening).data)
