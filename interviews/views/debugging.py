"""Recording a pair-debugging session from the interview page: start it on a task, give hints in
order, mark bugs found, finish. Only an interviewer of a pair-debugging interview may do this."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from interviews.models import DebuggingSession, DebuggingTask, InterviewStage
from interviews.permissions import access_assigned_interview_by_id
from interviews.services.debugging import (
    debugging_give_hint,
    debugging_mark_found,
    debugging_session_finish,
    debugging_session_start,
)


def _int(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError as exc:
        raise ValidationError({"bug": ["Choose a bug."]}) from exc


@login_required
@require_POST
def record(request: HttpRequest, pk: int) -> HttpResponse:
    interview = access_assigned_interview_by_id(request.user, pk)
    if interview.kit.stage != InterviewStage.PAIR_DEBUGGING:
        raise Http404
    session = DebuggingSession.objects.filter(
        interview=interview, interviewer_id=request.user.pk
    ).first()
    action = request.POST.get("action")
    # Back to where the interviewer clicked: a bug's row (its hints are listed there) or the panel.
    anchor = "#debugging-heading"
    try:
        if session is None:
            if action != "start":
                raise ValidationError({"non_field_errors": ["Start the session first."]})
            task = DebuggingTask.objects.filter(
                pk=_int(request.POST.get("task")), is_active=True
            ).first()
            if task is None:
                raise ValidationError({"task": ["Choose a task from the library."]})
            debugging_session_start(
                application=interview.application,
                task=task,
                interviewer=request.user,
                interview=interview,
            )
            messages.success(request, f"Session started on “{task.title}”.")
        elif action == "hint":
            bug_id = _int(request.POST.get("bug"))
            anchor = f"#bug-{bug_id}"
            hint = debugging_give_hint(session=session, bug_id=bug_id)
            messages.info(request, f"Hint given: {hint}")
        elif action == "found":
            bug_id = _int(request.POST.get("bug"))
            anchor = f"#bug-{bug_id}"
            debugging_mark_found(
                session=session,
                bug_id=bug_id,
                notes=request.POST.get("notes", ""),
            )
            messages.success(request, "Marked as found.")
        elif action == "finish":
            debugging_session_finish(session=session, notes=request.POST.get("notes", ""))
            messages.success(request, "Session finished.")
        else:
            raise ValidationError({"non_field_errors": ["Unknown action."]})
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect(reverse("interviewer-interview", args=[interview.pk]) + anchor)
