"""The e-mail log of a candidate, for an ATS: every message sent (or being sent) to them, and to
interviewers about their interviews. Visible to whoever may see the candidate."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from core.api.errors import ERROR_404, LIST_ERRORS
from core.api.pagination import IdCursorPagination
from core.requester import requester
from hiring.models import Message, MessageTemplate
from hiring.permissions import access_candidate_by_id


class MessageOutput(serializers.ModelSerializer):
    template = serializers.ChoiceField(source="template_key", choices=MessageTemplate.Key.choices)
    to = serializers.EmailField(source="to_address")

    class Meta:
        model = Message
        fields = [
            "id",
            "candidate",
            "template",
            "recipient_kind",
            "to",
            "subject",
            "body_text",
            "concerns",
            "status",
            "attempts",
            "last_error",
            "queued_at",
            "sent_at",
        ]
        extra_kwargs: dict[str, dict[str, Any]] = {
            "candidate": {"help_text": "The candidate's id (messages to interviewers too)."},
            "concerns": {"help_text": 'What it is about: "interview:<id>", "takehome:<id>".'},
            "attempts": {"help_text": "Sending attempts so far."},
            "last_error": {"help_text": "Why the last attempt failed (empty once sent)."},
        }


@extend_schema_view(
    get=extend_schema(
        tags=["candidates"],
        operation_id="v1_candidates_messages_list",
        responses={200: MessageOutput(many=True), **LIST_ERRORS, 404: ERROR_404},
    )
)
class CandidateMessageListApi(ListAPIView[Message]):
    """The candidate's e-mail log, oldest first (cursor on the id): to the candidate, and to
    interviewers about the candidate's interviews. ``status`` is ``queued``, ``sent`` (the mail
    server accepted it, at ``sent_at``) or ``failed`` (retried until its attempts run out)."""

    serializer_class = MessageOutput
    pagination_class = IdCursorPagination

    def get_queryset(self) -> QuerySet[Message]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no candidate
            return Message.objects.none()
        candidate = access_candidate_by_id(requester(self.request), self.kwargs["pk"])
        return Message.objects.filter(candidate=candidate)
