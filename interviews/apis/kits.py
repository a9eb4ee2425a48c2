from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring.pagination import IdCursorPagination
from interviews import selectors
from interviews.apis.base import READ_ERRORS, requester
from interviews.models import Interview, InterviewKit
from interviews.permissions import access_interview_by_id, access_kit_by_id
from interviews.serializers import InterviewOutput, KitOutput


@extend_schema_view(get=extend_schema(tags=["interviews"], responses={200: KitOutput(many=True)}))
class KitListApi(ListAPIView[InterviewKit]):
    serializer_class = KitOutput
    pagination_class = IdCursorPagination
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[InterviewKit]:
        kits = selectors.kits_visible_to(user=requester(self.request))
        if role := self.request.query_params.get("role_profile"):
            kits = kits.filter(role_profile__slug=role)
        if stage := self.request.query_params.get("stage"):
            kits = kits.filter(stage=stage)
        return kits


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
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[Interview]:
        user = requester(self.request)
        if self.request.query_params.get("mine") in ("1", "true"):
            return selectors.interviews_assigned_to(user=user)
        return selectors.interviews_visible_to(user=user)


class InterviewDetailApi(APIView):
    @extend_schema(tags=["interviews"], responses={200: InterviewOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(InterviewOutput(access_interview_by_id(requester(request), pk)).data)
