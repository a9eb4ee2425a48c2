"""Scorecards: list what the caller may see, create/update a draft and submit as the acting
interviewer, amend a submitted one. Another interviewer's scorecard is a 404 until the caller
submitted their own for that application (``selectors.scorecards_visible_to``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import OBJECT_WRITE_ERRORS, READ_ERRORS
from core.api.pagination import IdCursorPagination
from core.requester import requester
from interviews import selectors
from interviews.filters import ScorecardFilter
from interviews.models import Scorecard
from interviews.permissions import (
    access_assigned_interview_by_id,
    access_own_scorecard_by_id,
    access_scorecard_by_id,
)
from interviews.serializers import (
    AmendmentInput,
    AmendmentOutput,
    ScorecardCreateInput,
    ScorecardInput,
    ScorecardOutput,
)
from interviews.services.scorecards import (
    RatingInput,
    scorecard_amend,
    scorecard_save_draft,
    scorecard_submit,
)


def _ratings(data: dict[str, Any]) -> list[RatingInput]:
    return [
        RatingInput(r["competency"], r["rating"], r.get("evidence", "")) for r in data["ratings"]
    ]


def _fresh(request: Request, pk: int) -> Scorecard:
    return access_scorecard_by_id(requester(request), pk)


@extend_schema_view(
    get=extend_schema(tags=["scorecards"], responses={200: ScorecardOutput(many=True)})
)
class ScorecardListCreateApi(ListAPIView[Scorecard]):
    serializer_class = ScorecardOutput
    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ScorecardFilter

    def get_queryset(self) -> QuerySet[Scorecard]:
        return selectors.scorecards_visible_to(user=requester(self.request))

    @extend_schema(
        tags=["scorecards"],
        request=ScorecardCreateInput,
        responses={201: ScorecardOutput, **OBJECT_WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        """Create or replace the caller's draft for an interview they are assigned to; with
        ``"submit": true`` it is submitted in the same request."""
        serializer = ScorecardCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = requester(request)
        interview = access_assigned_interview_by_id(user, data["interview"])
        with transaction.atomic():
            scorecard = scorecard_save_draft(
                interview=interview,
                by=user,
                ratings=_ratings(data),
                recommendation=data["recommendation"],
                summary=data["summary"],
                submitting=data["submit"],
            )
            if data["submit"]:
                scorecard_submit(scorecard=scorecard, by=user)
        return Response(
            ScorecardOutput(_fresh(request, scorecard.pk)).data, status=status.HTTP_201_CREATED
        )


class ScorecardDetailApi(APIView):
    @extend_schema(tags=["scorecards"], responses={200: ScorecardOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ScorecardOutput(_fresh(request, pk)).data)

    @extend_schema(
        tags=["scorecards"],
        request=ScorecardInput,
        responses={200: ScorecardOutput, **OBJECT_WRITE_ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        """Replace the caller's own draft; a submitted scorecard answers 400. Unknown fields are
        a 400 naming them: ``submit`` is not accepted here (the draft would stay a draft);
        submit with ``POST /api/v1/scorecards/{id}/submit/``."""
        user = requester(request)
        scorecard = access_own_scorecard_by_id(user, pk)
        serializer = ScorecardInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        scorecard_save_draft(
            interview=scorecard.interview,
            by=user,
            ratings=_ratings(data),
            recommendation=data["recommendation"],
            summary=data["summary"],
        )
        return Response(ScorecardOutput(_fresh(request, pk)).data)


class ScorecardSubmitApi(APIView):
    @extend_schema(
        tags=["scorecards"], request=None, responses={200: ScorecardOutput, **OBJECT_WRITE_ERRORS}
    )
    def post(self, request: Request, pk: int) -> Response:
        user = requester(request)
        scorecard_submit(scorecard=access_own_scorecard_by_id(user, pk), by=user)
        return Response(ScorecardOutput(_fresh(request, pk)).data)


class ScorecardAmendApi(APIView):
    @extend_schema(
        tags=["scorecards"],
        request=AmendmentInput,
        responses={201: AmendmentOutput, **OBJECT_WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = requester(request)
        scorecard = access_own_scorecard_by_id(user, pk)
        serializer = AmendmentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        amendment = scorecard_amend(
            scorecard=scorecard,
            by=user,
            reason=data["reason"],
            ratings=_ratings(data),
            recommendation=data["recommendation"],
        )
        return Response(AmendmentOutput(amendment).data, status=status.HTTP_201_CREATED)
