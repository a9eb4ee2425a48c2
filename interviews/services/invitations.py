"""E-mail about an interview when it is scheduled, moved or cancelled: one message to the
candidate and one to each interviewer, each with its ``.ics`` (``interviews.calendar``).

Called by the scheduling services inside their transaction, so the messages are queued with the
change and sent once it commits, or not at all. A missing address never stops the scheduling:
a candidate without one is recorded as ``interview.invitation_skipped`` (the interview's history
says why nobody was told), interviewers without one are skipped."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from core.events.models import Event
from core.events.recording import event_record
from hiring.models import Message, MessageTemplate
from hiring.services.messages import Attachment, candidate_primary_email, message_queue
from interviews.calendar import CONTENT_TYPE, FILENAME, CalendarEvent, Method, interview_ics
from interviews.models import Interview, InterviewStage

logger = logging.getLogger(__name__)

Change = Literal["scheduled", "rescheduled", "cancelled"]
Key = MessageTemplate.Key
_TEMPLATES: dict[Change, tuple[str, str]] = {
    "scheduled": (Key.INTERVIEW_INVITATION, Key.INTERVIEW_INVITATION_INTERVIEWER),
    "rescheduled": (Key.INTERVIEW_RESCHEDULED, Key.INTERVIEW_RESCHEDULED_INTERVIEWER),
    "cancelled": (Key.INTERVIEW_CANCELLED, Key.INTERVIEW_CANCELLED_INTERVIEWER),
}

# What each stage is, in words for the candidate: what they will do, never the bars or the
# rubric they are rated against.
STAGE_ABOUT: dict[str, str] = {
    InterviewStage.SCREEN: (
        "a conversation about your background, the ML work you are proudest of and what you are "
        "looking for, and our chance to tell you about the team and the role."
    ),
    InterviewStage.TAKE_HOME_REVIEW: (
        "we go through your take-home together: how you framed the problem, the choices you "
        "made and what you would do with more time."
    ),
    InterviewStage.PAIR_DEBUGGING: (
        "we work together on a small ML codebase that misbehaves, the way colleagues would: "
        "think aloud, use the tools you like, and ask anything."
    ),
    InterviewStage.APPLIED_ML_DESIGN: (
        "we design an ML system for a realistic problem together, from data and evaluation to "
        "deployment and monitoring, at a whiteboard level."
    ),
    InterviewStage.MATH: (
        "a discussion of the probability, statistics and linear algebra behind everyday ML "
        "work; reasoning matters more than recalling formulas."
    ),
    InterviewStage.PAST_PROJECT_DEEP_DIVE: (
        "you walk us through a project of your choice in depth: the problem, what you tried, "
        "what failed and what you learned."
    ),
    InterviewStage.THEORY: (
        "a conversation about why the methods you use work and when they do not, starting from "
        "your own area."
    ),
    InterviewStage.COMMUNICATION_CULTURE: (
        "a conversation about how you work with others: explaining results, disagreeing well "
        "and what helps you do your best work."
    ),
}


def _sequence(interview: Interview, change: Change) -> int:
    """0 for a new interview, one more for each move (the event log counts them, the one being
    recorded included), and one more again for the cancellation."""
    moves = Event.objects.filter(
        object_type="interview", object_id=str(interview.pk), type="interview.rescheduled"
    ).count()
    return moves + (1 if change == "cancelled" else 0)


def _interviewer_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def interview_invitations_queue(
    *,
    interview: Interview,
    change: Change,
    interviewers: Iterable[User],
    previous_starts_at: datetime | None = None,
    by: Any = None,
) -> list[Message]:
    """Queue the messages for ``change`` (inside the caller's transaction) and return them."""
    application = interview.application
    candidate = application.candidate
    kit = interview.kit
    candidate_key, interviewer_key = _TEMPLATES[change]
    method: Method = "CANCEL" if change == "cancelled" else "REQUEST"
    sequence = _sequence(interview, change)
    concerns = f"interview:{interview.pk}"
    when = {"starts_at": interview.scheduled_at}
    common = {
        "candidate_name": candidate.full_name,
        "opening_title": application.opening.title,
        "stage": kit.get_stage_display(),
        **when,
    }
    if change != "cancelled":
        common["duration_minutes"] = interview.duration_minutes
    if change == "rescheduled":
        common["previous_starts_at"] = previous_starts_at or interview.scheduled_at

    def ics(*, to: str, summary: str, description: str, url: str = "") -> list[Attachment]:
        event = CalendarEvent(
            interview_id=interview.pk,
            starts_at=interview.scheduled_at,
            duration_minutes=interview.duration_minutes,
            sequence=sequence,
            summary=summary,
            description=description,
            attendee=to,
            url=url,
        )
        content = interview_ics(event=event, method=method)
        return [{"filename": FILENAME, "content_type": CONTENT_TYPE, "content": content}]

    queued: list[Message] = []
    candidate_to = candidate_primary_email(candidate=candidate)
    if candidate_to:
        summary = f"{settings.HIREBAR_CONTROLLER_NAME}: {kit.get_stage_display()} interview"
        about = STAGE_ABOUT.get(kit.stage, "")
        context = {**common, "controller_name": settings.HIREBAR_CONTROLLER_NAME}
        if change != "cancelled":
            context["stage_about"] = about
        queued.append(
            message_queue(
                candidate=candidate,
                template_key=candidate_key,
                to=candidate_to,
                recipient_kind=Message.RecipientKind.CANDIDATE,
                context=context,
                attachments=ics(
                    to=candidate_to,
                    summary=f"{summary}, {application.opening.title}",
                    description=about,
                ),
                concerns=concerns,
                by=by,
            )
        )
    else:
        logger.info("interview %s: the candidate has no e-mail address, not told", interview.pk)
        event_record(
            type="interview.invitation_skipped",
            obj=interview,
            opening_ids=[application.opening_id],
            data={
                "id": interview.pk,
                "change": change,
                "recipient": Message.RecipientKind.CANDIDATE,
                "reason": "The candidate has no e-mail address.",
            },
        )
    url = settings.SITE_URL + reverse("interviewer-interview", args=[interview.pk])
    for user in interviewers:
        if not user.email:
            continue
        context = {
            **common,
            "interviewer_name": _interviewer_name(user),
            "kit_name": kit.title,
        }
        if change == "cancelled":
            context["reason"] = interview.cancel_reason
        else:
            context["interviewer_url"] = url
        queued.append(
            message_queue(
                candidate=candidate,
                template_key=interviewer_key,
                to=user.email,
                recipient_kind=Message.RecipientKind.INTERVIEWER,
                context=context,
                attachments=ics(
                    to=user.email, summary=f"Interview: {kit.title}", description=url, url=url
                ),
                concerns=concerns,
                by=by,
            )
        )
    return queued
