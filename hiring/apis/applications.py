"""Applications: opened for a candidate on an opening, moved through the pipeline by legal steps,
with their full stage history. ``applications/{id}/verdict/`` belongs to the interviews app, so no
route here may match paths below ``applications/{id}/`` other than its own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import LIST_ERRORS, OBJECT_WRITE_ERRORS, READ_ERRORS, WRITE_ERRORS
from core.api.pagination import IdCursorPagination
from core.requester import requester
from hiring import selectors, services
from hiring.filters import ApplicationFilter
from hiring.models import Application, StageChange
from hiring.permissions import (
    HiringWriteAccess,
    access_application_by_id,
    access_candidate_by_id,
    access_opening_by_id,
)
from hiring.serializers import (
    ApplicationCreateInput,
    ApplicationDetailOutput,
    ApplicationOutput,
    StageChangeOutput,
    TransitionInput,
)


@extend_schema_view(
    get=extend_schema(
        tags=["applications"], responses={200: ApplicationOutput(many=True), **LIST_ERRORS}
    )
)
class ApplicationListCreateApi(ListAPIView[Application]):
    permission_classes = [HiringWriteAccess]
    write_model = Application
    serializer_class = ApplicationOutput
    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApplicationFilter

    def get_queryset(self) -> QuerySet[Application]:
        return selectors.applications_visible_to(user=requester(self.request))

    @extend_schema(
        tags=["applications"],
        request=ApplicationCreateInput,
        responses={201: ApplicationDetailOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = ApplicationCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = requester(request)
        # Ids the requester cannot see are input errors here, not 404s: the URL itself exists.
        errors = {}
        try:
            candidate = access_candidate_by_id(user, data["candidate"])
        except Http404:
            errors["candidate"] = [f"No candidate with id {data['candidate']}."]
        try:
            opening = access_opening_by_id(user, data["opening"])
        except Http404:
            errors["opening"] = [f"No opening with id {data['opening']}."]
        if errors:
            raise serializers.ValidationError(errors)
        application = services.application_create(
            candidate=candidate, opening=opening, by=user, reason=data["reason"]
        )
        return Response(ApplicationDetailOutput(application).data, status=status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    @extend_schema(tags=["applications"], responses={200: ApplicationDetailOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        application = access_application_by_id(requester(request), pk)
        return Response(ApplicationDetailOutput(application).data)


class ApplicationHistoryApi(APIView):
    @extend_schema(
        tags=["applications"],
        operation_id="v1_applications_history_list",
        responses={200: StageChangeOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        """Every stage change, oldest first; the first entry is the opening of the application."""
        application = access_application_by_id(requester(request), pk)
        history = selectors.application_history(application=application)
        return Response(StageChangeOutput(history, many=True).data)


class ApplicationTransitionApi(APIView):
    permission_classes = [HiringWriteAccess]
    # A move appends to the stage history, so it needs the permission to add a stage change.
    write_model = StageChange

    @extend_schema(
        tags=["applications"],
        request=TransitionInput,
        responses={200: ApplicationDetailOutput, **OBJECT_WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Move the application one legal step (see its ``allowed_next_stages``). A rejection
        needs a ``rejection_reason``; nothing else takes one."""
        application = access_application_by_id(requester(request), pk)
        serializer = TransitionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_transition(
            application=application, by=requester(request), **serializer.validated_data
        )
        return Response(ApplicationDetailOutput(application).data)
