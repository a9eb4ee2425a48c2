"""The re-implementation API: start runs (a paper or an opening's top papers), follow them, and
read a paper's implementations and an opening's ranked re-implementers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from core.api.pagination import NewestFirstCursorPagination
from core.requester import requester
from hiring.permissions import access_opening_by_id
from sourcing.github import launch, selectors
from sourcing.github.models import ImplementationRun
from sourcing.github.permissions import (
    ImplementationAccess,
    access_paper_by_arxiv_id,
    access_run_by_id,
)
from sourcing.github.serializers import (
    ImplementationOutput,
    ReimplementerOutput,
    RunInput,
    RunOutput,
)

TAGS = ["re-implementations"]


@extend_schema_view(
    get=extend_schema(tags=TAGS, responses={200: RunOutput(many=True), **LIST_ERRORS})
)
class RunListCreateApi(ListAPIView[ImplementationRun]):
    permission_classes = [ImplementationAccess]
    serializer_class = RunOutput
    pagination_class = NewestFirstCursorPagination
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[ImplementationRun]:
        return selectors.runs_visible_to(user=requester(self.request))

    @extend_schema(
        tags=TAGS,
        request=RunInput,
        responses={202: RunOutput, 200: RunOutput, **WRITE_ERRORS},
        description=(
            "Find the implementations of one paper (`arxiv_id`) or of the top `top_n` papers for "
            "an opening's role (`opening`). Starting a paper that already has an active run "
            "returns that run with 200."
        ),
    )
    def post(self, request: Request) -> Response:
        serializer = RunInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = requester(request)
        if data.get("opening"):
            # A body naming something unknown is a 400 on that field, as for arxiv_id; the
            # path names nothing here that could be a 404.
            try:
                opening = access_opening_by_id(user, data["opening"])
            except Http404 as exc:
                raise ValidationError({"opening": ["No such opening."]}) from exc
            run = launch.implementation_run_start_for_opening(
                opening=opening, top_n=data["top_n"], by=user
            )
            return Response(RunOutput(run).data, status=status.HTTP_202_ACCEPTED)
        try:
            paper = access_paper_by_arxiv_id(user, data["arxiv_id"])
        except Http404 as exc:
            raise ValidationError(
                {"arxiv_id": ["Unknown paper; import it with arXiv sourcing first."]}
            ) from exc
        run, created = launch.implementation_run_start_for_paper(paper=paper, by=user)
        code = status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK
        return Response(RunOutput(run).data, status=code)


class RunDetailApi(APIView):
    permission_classes = [ImplementationAccess]

    @extend_schema(tags=TAGS, responses={200: RunOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(RunOutput(access_run_by_id(requester(request), pk)).data)


class PaperImplementationsApi(APIView):
    permission_classes = [ImplementationAccess]

    @extend_schema(
        tags=TAGS,
        responses={200: ImplementationOutput(many=True), **READ_ERRORS},
        description="Official code first, then re-implementations by engineering score.",
    )
    def get(self, request: Request, arxiv_id: str) -> Response:
        paper = access_paper_by_arxiv_id(requester(request), arxiv_id)
        rows = selectors.paper_implementations(paper=paper)
        return Response(ImplementationOutput(rows, many=True).data)


class OpeningReimplementersApi(APIView):
    permission_classes = [ImplementationAccess]

    @extend_schema(
        tags=TAGS,
        responses={200: ReimplementerOutput(many=True), **READ_ERRORS},
        description=(
            "Candidates who re-implemented the papers of the opening's latest run, best first, "
            "with the score breakdown."
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        opening = access_opening_by_id(requester(request), pk)
        paper_ids = selectors.opening_paper_ids(opening=opening)
        ranked = selectors.reimplementers_ranked(paper_ids=paper_ids)
        return Response([ReimplementerOutput(entry).data for entry in ranked])
