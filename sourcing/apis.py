"""Sourcing API: start runs (query API or OAI-PMH), follow their progress, cancel or resume
them, and read the ranked prospects with their score breakdown."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import NewestFirstCursorPagination, ScoreCursorPagination
from core.requester import requester
from hiring import selectors as hiring_selectors
from hiring.models import RoleProfile
from sourcing import launch, selectors
from sourcing.models import Prospect, SourcingRun
from sourcing.permissions import SourcingAccess, access_run_by_id
from sourcing.serializers import ProspectOutput, SourcingRunInput, SourcingRunOutput


@extend_schema_view(get=extend_schema(tags=["sourcing"], responses=SourcingRunOutput(many=True)))
class SourcingRunListCreateApi(ListAPIView[SourcingRun]):
    permission_classes = [SourcingAccess]
    serializer_class = SourcingRunOutput
    pagination_class = NewestFirstCursorPagination
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[SourcingRun]:
        return selectors.runs_visible_to(user=requester(self.request))

    @extend_schema(
        tags=["sourcing"],
        request=SourcingRunInput,
        responses={
            201: SourcingRunOutput,
            200: OpenApiResponse(
                SourcingRunOutput,
                description="A run of the same kind, role, opening and parameters is already "
                "queued or running: that run, and nothing new is started.",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = SourcingRunInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = requester(request)
        role = None
        if data.get("role"):
            role = RoleProfile.objects.filter(slug=data["role"], is_active=True).first()
            if role is None:
                raise ValidationError({"role": [f'No active role profile "{data["role"]}".']})
        opening = None
        if data.get("opening") is not None:
            visible = hiring_selectors.openings_visible_to(user=user)
            opening = visible.filter(pk=data["opening"]).first()
            if opening is None:
                raise ValidationError({"opening": ["No such opening."]})
        run, created = launch.sourcing_run_launch(
            kind=data["kind"],
            parameters=serializer.to_parameters(),
            role_profile=role,
            opening=opening,
            by=user,
        )
        run = selectors.runs_visible_to(user=user).get(pk=run.pk)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(SourcingRunOutput(run).data, status=code)


class SourcingRunDetailApi(APIView):
    permission_classes = [SourcingAccess]

    @extend_schema(tags=["sourcing"], responses=SourcingRunOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(SourcingRunOutput(access_run_by_id(requester(request), pk)).data)


class SourcingRunCancelApi(APIView):
    permission_classes = [SourcingAccess]

    @extend_schema(tags=["sourcing"], request=None, responses=SourcingRunOutput)
    def post(self, request: Request, pk: int) -> Response:
        run = access_run_by_id(requester(request), pk)
        run = launch.sourcing_run_cancel(run=run, by=requester(request))
        return Response(SourcingRunOutput(run).data)


class SourcingRunResumeApi(APIView):
    permission_classes = [SourcingAccess]

    @extend_schema(tags=["sourcing"], request=None, responses=SourcingRunOutput)
    def post(self, request: Request, pk: int) -> Response:
        run = access_run_by_id(requester(request), pk)
        launch.sourcing_run_resume(run=run, by=requester(request))
        return Response(SourcingRunOutput(access_run_by_id(requester(request), pk)).data)


@extend_schema_view(get=extend_schema(tags=["sourcing"], responses=ProspectOutput(many=True)))
class SourcingRunProspectsApi(ListAPIView[Prospect]):
    """The prospects this run ranked, best first, each with its score breakdown."""

    permission_classes = [SourcingAccess]
    serializer_class = ProspectOutput
    pagination_class = ScoreCursorPagination
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[Prospect]:
        user = requester(self.request)
        run = access_run_by_id(user, self.kwargs["pk"])
        return selectors.prospects_of_run(user=user, run=run)


@extend_schema_view(
    get=extend_schema(
        tags=["sourcing"],
        parameters=[OpenApiParameter("role", str, required=True, description="Role slug")],
        responses=ProspectOutput(many=True),
    )
)
class ProspectListApi(ListAPIView[Prospect]):
    """Ranked prospects of one role (``?role=ml-researcher``), best first."""

    permission_classes = [SourcingAccess]
    serializer_class = ProspectOutput
    pagination_class = ScoreCursorPagination
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[Prospect]:
        slug = self.request.query_params.get("role", "")
        role = RoleProfile.objects.filter(slug=slug).first()
        if role is None:
            raise ValidationError({"role": ["Give an existing role profile slug: ?role=..."]})
        return selectors.prospects_of_role(user=requester(self.request), role_profile=role)
