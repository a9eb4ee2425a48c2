from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import OBJECT_WRITE_ERRORS, READ_ERRORS
from core.api.pagination import IdCursorPagination
from core.requester import requester
from interviews import selectors
from interviews.filters import InterviewFilter, KitFilter
from interviews.models import Interview, InterviewKit
from interviews.permissions import (
    access_hiring_application_by_id,
    access_interview_by_id,
    access_kit_by_id,
)
from interviews.serializers import (
    InterviewCancelInput,
    InterviewOutput,
    InterviewRescheduleInput,
    InterviewScheduleInput,
    KitOutput,
)
from interviews.services.interviews import (
    interview_cancel,
    interview_reschedule,
    interview_schedule,
)


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
    """Interviews visible to the caller (``?mine=1`` for the ones they take part in); recruiters
    schedule new ones with POST."""

    serializer_class = InterviewOutput
    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = InterviewFilter

    def get_queryset(self) -> QuerySet[Interview]:
        return selectors.interviews_visible_to(user=requester(self.request))

    @extend_schema(
        tags=["interviews"],
        request=InterviewScheduleInput,
        responses={201: InterviewOutput, **OBJECT_WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        """Schedule an interview (recruiters): an open application, a kit of its opening's role,
        a time with its timezone, and interviewers by user id (empty: the kit's defaults)."""
        user = requester(request)
        if not user.has_perm("interviews.add_interview"):
            raise PermissionDenied("Your account may not schedule interviews.")
        serializer = InterviewScheduleInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = access_hiring_application_by_id(user, data["application"])
        kit = InterviewKit.objects.filter(pk=data["kit"], is_active=True).first()
        if kit is None:
            raise ValidationError({"kit": ["No such interview kit."]})
        wanted = set(data["interviewers"])
        people = list(get_user_model().objects.filter(pk__in=wanted, is_active=True))
        if len(people) != len(wanted):
            raise ValidationError({"interviewers": ["Unknown or inactive user id."]})
        interview = interview_schedule(
            application=application,
            kit=kit,
            scheduled_at=data["scheduled_at"],
            interviewers=people,
            duration_minutes=data["duration_minutes"],
            by=user,
        )
        return Response(
            InterviewOutput(selectors.interviews_visible_to(user=user).get(pk=interview.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class InterviewDetailApi(APIView):
    @extend_schema(tags=["interviews"], responses={200: InterviewOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(InterviewOutput(access_interview_by_id(requester(request), pk)).data)


def _schedulable_interview(request: Request, pk: int) -> Interview:
    user = requester(request)
    interview = access_interview_by_id(user, pk)
    if not user.has_perm("interviews.change_interview"):
        raise PermissionDenied("Your account may not change interviews.")
    return interview


class InterviewCancelApi(APIView):
    @extend_schema(
        tags=["interviews"],
        request=InterviewCancelInput,
        responses={200: InterviewOutput, **OBJECT_WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Cancel a scheduled interview, with a reason; it stays listed, marked cancelled."""
        interview = _schedulable_interview(request, pk)
        serializer = InterviewCancelInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        interview_cancel(
            interview=interview, reason=serializer.validated_data["reason"], by=requester(request)
        )
        return Response(InterviewOutput(access_interview_by_id(requester(request), pk)).data)


class InterviewRescheduleApi(APIView):
    @extend_schema(
        tags=["interviews"],
        request=InterviewRescheduleInput,
        responses={200: InterviewOutput, **OBJECT_WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Move an interview (not cancelled, on an open application) to another time or
        length."""
        interview = _schedulable_interview(request, pk)
        serializer = InterviewRescheduleInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        interview_reschedule(
            interview=interview,
            scheduled_at=data["scheduled_at"],
            duration_minutes=data.get("duration_minutes"),
            by=requester(request),
        )
        return Response(InterviewOutput(access_interview_by_id(requester(request), pk)).data)
