from __future__ import annotations

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import READ_ERRORS
from core.api.pagination import IdCursorPagination
from core.requester import requester
from interviews import selectors
from interviews.filters import InterviewFilter, KitFilter
from interviews.models import Interview, InterviewKit
from interviews.permissions import access_interview_by_id, access_kit_by_id
from interviews.serializers import InterviewOutput, KitOutput


@extend_schema_view(get=extend_schema(tags=["interviews"], responses={200: KitOutput(many=True)}))
class KitListApi(ListAPIView[InterviewKit]):
    serializer_class = KitOutput
    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = KitFilter

    def get_queryset(self) -> QuerySet[InterviewKit]:
        return selectors.kits_visible_to(user=requester(self.request))


class KitDetailApi(APIView):
    @extend_schema(tags=["interviews"], responses={200: KitOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(KitOutput(access_kit_by_id(requester(request), pk)).data)


@extend_schema_view(
    get=extend_schema(tags=["interviews"], responses={200: InterviewOutput(many=True)})
)
class InterviewListApi(ListAPIView[Interview]):
    """Interviews visible to the caller; ``?mine=1`` for the ones they take part in."""

    serializer_class = InterviewOutput
    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = InterviewFilter

    def get_queryset(self) -> QuerySet[Interview]:
        return selectors.interviews_visible_to(user=requester(self.request))


class InterviewDetailApi(APIView):
    @extend_schema(tags=["interviews"], responses={200: InterviewOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(InterviewOutput(access_interview_by_id(requester(request), pk)).data)
