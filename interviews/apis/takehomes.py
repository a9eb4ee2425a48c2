"""Take-home assignments for recruiters and hiring managers: create (recruiters) and status.
Graders never use these endpoints; they grade blind on the interviewer pages."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import OBJECT_WRITE_ERRORS, READ_ERRORS
from core.api.pagination import IdCursorPagination
from core.requester import requester
from interviews import selectors
from interviews.filters import TakeHomeAssignmentFilter
from interviews.models import TakeHomeAssignment, TakeHomeTemplate
from interviews.permissions import (
    access_hiring_application_by_id,
    access_takehome_assignment_by_id,
)
from interviews.serializers import TakeHomeAssignInput, TakeHomeAssignmentOutput
from interviews.services.takehomes import takehome_assign

CreatedOutput = inline_serializer(
    "TakeHomeAssignmentCreated",
    {
        "assignment": TakeHomeAssignmentOutput(),
        "link": serializers.URLField(help_text="The candidate's link; shown only this once."),
    },
)


@extend_schema_view(
    get=extend_schema(tags=["take-homes"], responses={200: TakeHomeAssignmentOutput(many=True)})
)
class TakeHomeAssignmentListCreateApi(ListAPIView[TakeHomeAssignment]):
    serializer_class = TakeHomeAssignmentOutput
    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = TakeHomeAssignmentFilter

    def get_queryset(self) -> QuerySet[TakeHomeAssignment]:
        return selectors.takehome_assignments_visible_to(user=requester(self.request))

    @extend_schema(
        tags=["take-homes"],
        request=TakeHomeAssignInput,
        responses={201: CreatedOutput, **OBJECT_WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        user = requester(request)
        if not user.has_perm("interviews.add_takehomeassignment"):
            raise PermissionDenied("Your account may not send take-homes.")
        serializer = TakeHomeAssignInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = access_hiring_application_by_id(user, data["application"])
        template = TakeHomeTemplate.objects.filter(pk=data["template"]).first()
        if template is None:
            raise ValidationError({"template": ["No such take-home template."]})
        graders = list(get_user_model().objects.filter(pk__in=data["graders"], is_active=True))
        if len(graders) != len(set(data["graders"])):
            raise ValidationError({"graders": ["Unknown or inactive user id."]})
        created = takehome_assign(
            application=application,
            template=template,
            due_at=data["due_at"],
            link_expires_at=data["link_expires_at"],
            graders=graders,
            blind=data["blind"],
            by=user,
        )
        assignment = selectors.takehome_assignments_visible_to(user=user).get(
            pk=created.assignment.pk
        )
        link = request.build_absolute_uri(reverse("takehome-submit", args=[created.token]))
        return Response(
            {"assignment": TakeHomeAssignmentOutput(assignment).data, "link": link},
            status=status.HTTP_201_CREATED,
        )


class TakeHomeAssignmentDetailApi(APIView):
    @extend_schema(tags=["take-homes"], responses={200: TakeHomeAssignmentOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        assignment = access_takehome_assignment_by_id(requester(request), pk)
        return Response(TakeHomeAssignmentOutput(assignment).data)
