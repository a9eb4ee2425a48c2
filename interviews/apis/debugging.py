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
from interviews.filters import DebuggingSessionFilter
from interviews.models import DebuggingSession
from interviews.permissions import access_debugging_session_by_id
from interviews.serializers import DebuggingSessionOutput


@extend_schema_view(
    get=extend_schema(tags=["pair-debugging"], responses={200: DebuggingSessionOutput(many=True)})
)
class DebuggingSessionListApi(ListAPIView[DebuggingSession]):
    serializer_class = DebuggingSessionOutput
    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = DebuggingSessionFilter

    def get_queryset(self) -> QuerySet[DebuggingSession]:
        return selectors.debugging_sessions_visible_to(user=requester(self.request))


class DebuggingSessionDetailApi(APIView):
    @extend_schema(tags=["pair-debugging"], responses={200: DebuggingSessionOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        session = access_debugging_session_by_id(requester(request), pk)
        return Response(DebuggingSessionOutput(session).data)
