"""Candidates: the ATS's sync surface. The list is cursor-paginated on the id (stable while rows
are added, no ``COUNT(*)``); the ATS keeps its own id in ``external_id`` and upserts by it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import LIST_ERRORS, OBJECT_WRITE_ERRORS, READ_ERRORS, WRITE_ERRORS
from core.api.pagination import IdCursorPagination
from core.api.renderers import FastJSONRenderer
from core.requester import requester
from hiring import selectors, services
from hiring.filters import CandidateFilter
from hiring.models import Candidate
from hiring.permissions import (
    HiringWriteAccess,
    access_candidate_by_external_id,
    access_candidate_by_id,
)
from hiring.serializers import (
    CandidateDetailOutput,
    CandidateInput,
    CandidateMergeInput,
    CandidateOutput,
    CandidateUpsertInput,
)


def _service_input(validated: dict[str, Any]) -> services.CandidateInput:
    fields = dict(validated)
    emails = fields.pop("emails", None)
    return services.CandidateInput(fields=fields, emails=emails)


def _detail(candidate: Candidate, request: Request) -> dict[str, Any]:
    applications = selectors.applications_visible_to(user=requester(request)).filter(
        candidate=candidate
    )
    return CandidateDetailOutput(candidate, context={"applications": applications}).data


@extend_schema_view(
    get=extend_schema(
        tags=["candidates"], responses={200: CandidateOutput(many=True), **LIST_ERRORS}
    )
)
class CandidateListCreateApi(ListAPIView[Candidate]):
    permission_classes = [HiringWriteAccess]
    renderer_classes = [FastJSONRenderer]
    write_model = Candidate
    serializer_class = CandidateOutput
    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = CandidateFilter

    def get_queryset(self) -> QuerySet[Candidate, dict[str, Any]]:  # type: ignore[override]
        return selectors.candidates_for_list(user=requester(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert rows is not None  # the pagination class is always set
        page = selectors.candidate_page_rows(rows=list(rows))
        return self.get_paginated_response([CandidateOutput.render_row(row) for row in page])

    @extend_schema(
        tags=["candidates"],
        request=CandidateInput,
        responses={201: CandidateDetailOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = CandidateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate = services.candidate_create(
            data=_service_input(serializer.validated_data), by=requester(request)
        )
        return Response(_detail(candidate, request), status=status.HTTP_201_CREATED)


class CandidateDetailApi(APIView):
    permission_classes = [HiringWriteAccess]
    write_model = Candidate

    @extend_schema(tags=["candidates"], responses={200: CandidateDetailOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        candidate = access_candidate_by_id(requester(request), pk)
        return Response(_detail(candidate, request))

    @extend_schema(
        tags=["candidates"],
        request=CandidateInput(partial=True),
        responses={200: CandidateDetailOutput, **OBJECT_WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        candidate = access_candidate_by_id(requester(request), pk)
        serializer = CandidateInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        candidate = services.candidate_update(
            candidate=candidate,
            data=_service_input(serializer.validated_data),
            by=requester(request),
        )
        return Response(_detail(candidate, request))


class CandidateMergeApi(APIView):
    permission_classes = [HiringWriteAccess]
    write_model = Candidate

    @extend_schema(
        tags=["candidates"],
        request=CandidateMergeInput,
        responses={200: CandidateDetailOutput, **OBJECT_WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Merge this candidate (a duplicate) into ``into``, which keeps its own data and takes
        this one's applications, addresses and missing identifiers. This candidate then reads
        ``merged_into`` and leaves the list; a ``candidate.merged`` event is recorded. Answers
        with the candidate that stays."""
        user = requester(request)
        source = access_candidate_by_id(user, pk)
        serializer = CandidateMergeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            target = access_candidate_by_id(user, serializer.validated_data["into"])
        except Http404 as exc:
            raise serializers.ValidationError({"into": ["No such candidate."]}) from exc
        target = services.candidate_merge(target=target, source=source, by=user)
        return Response(_detail(access_candidate_by_id(user, target.pk), request))


class CandidateUpsertAccess(HiringWriteAccess):
    """An upsert may create or change, so it needs both permissions whichever it turns out to do:
    the outcome must not depend on whether the row happened to exist."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method != "PUT":
            return super().has_permission(request, view)
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.has_perms(["hiring.add_candidate", "hiring.change_candidate"])
        )


_EXTERNAL_ID = serializers.CharField(max_length=128)


def _external_id(raw: str) -> str:
    """The path segment, checked like a body field (trimmed, not blank, at most 128 characters,
    no NUL bytes) before any query."""
    return str(_EXTERNAL_ID.run_validation(raw))


class CandidateByExternalIdApi(APIView):
    permission_classes = [CandidateUpsertAccess]
    write_model = Candidate

    @extend_schema(tags=["candidates"], responses={200: CandidateDetailOutput, **READ_ERRORS})
    def get(self, request: Request, external_id: str) -> Response:
        try:
            key = _external_id(external_id)
        except serializers.ValidationError as exc:
            raise Http404 from exc
        candidate = access_candidate_by_external_id(requester(request), key)
        return Response(_detail(candidate, request))

    @extend_schema(
        tags=["candidates"],
        request=CandidateUpsertInput,
        responses={
            200: OpenApiResponse(CandidateDetailOutput, description="Updated."),
            201: OpenApiResponse(CandidateDetailOutput, description="Created."),
            **WRITE_ERRORS,
        },
    )
    def put(self, request: Request, external_id: str) -> Response:
        """Create or update the candidate the ATS knows by ``external_id``. Fields left out keep
        their stored values (or the defaults, on creation); sending the same body again changes
        nothing, so an ATS may retry freely."""
        try:
            key = _external_id(external_id)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"external_id": exc.detail}) from exc
        serializer = CandidateUpsertInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate, created = services.candidate_upsert_by_external_id(
            external_id=key, data=_service_input(serializer.validated_data), by=requester(request)
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(_detail(candidate, request), status=code)
