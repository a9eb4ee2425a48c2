"""The analytics API for the ATS: one view per read. Views parse the query string and call a
selector; scoping is the selectors' (a hiring manager's numbers cover their openings only)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import filters, selectors
from analytics.forecast.selectors import forecast_payload, opening_forecast
from analytics.history import SOURCES
from analytics.serializers import CalibrationOutput, ForecastOutput, FunnelOutput
from core.api.errors import ERROR_400, ERROR_401, ERROR_403, LIST_ERRORS, READ_ERRORS
from core.api.filters import ID_SCHEMA
from core.requester import requester
from hiring.permissions import access_opening_by_id


class OpeningForecastApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["analytics"],
        summary="Time-to-fill forecast of an opening (or a closed one's outcome)",
        responses={200: ForecastOutput, 400: ERROR_400, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        filters.no_parameters(query=request.query_params)
        opening = access_opening_by_id(requester(request), pk)
        return Response(ForecastOutput(forecast_payload(opening_forecast(opening=opening))).data)


class FunnelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["analytics"],
        summary="Funnel from the stage history: reached, conversion, days in stage, by source",
        parameters=[
            OpenApiParameter("role", OpenApiTypes.STR, description="Role slug."),
            OpenApiParameter("opening", ID_SCHEMA, description="Opening id."),
            OpenApiParameter("source", OpenApiTypes.STR, enum=[key for key, _ in SOURCES]),
            OpenApiParameter(
                "date_from", OpenApiTypes.DATE, description="Applications created on or after."
            ),
            OpenApiParameter(
                "date_to", OpenApiTypes.DATE, description="Applications created on or before."
            ),
        ],
        responses={200: FunnelOutput, **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        user = requester(request)
        funnel_filters = filters.funnel_filters(query=request.query_params, user=user)
        return Response(FunnelOutput(selectors.funnel(user=user, filters=funnel_filters)).data)


class CalibrationApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["analytics"],
        summary="Interviewer and grader calibration (recruiters and admins)",
        parameters=[OpenApiParameter("role", OpenApiTypes.STR, description="Role slug.")],
        responses={200: CalibrationOutput, 400: ERROR_400, 401: ERROR_401, 403: ERROR_403},
    )
    def get(self, request: Request) -> Response:
        if not selectors.can_see_calibration(requester(request)):
            raise PermissionDenied("Calibration is for recruiters and admins.")
        role = filters.calibration_role(query=request.query_params)
        return Response(CalibrationOutput(selectors.calibration(role=role)).data)
