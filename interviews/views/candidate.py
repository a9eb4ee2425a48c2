"""The candidate's take-home link: no account, just the token from the e-mail. Unknown tokens are
a plain 404; an expired link gets a clear page (410) instead of a form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from interviews.forms import TakeHomeSubmissionForm, apply_service_errors
from interviews.models import TakeHomeAssignment
from interviews.services.takehomes import (
    TakeHomeLinkExpired,
    takehome_by_token,
    takehome_ensure_open,
    takehome_submit,
)


def _expired(request: HttpRequest, assignment: TakeHomeAssignment) -> HttpResponse:
    return render(
        request, "interviews/takehome_expired.html", {"assignment": assignment}, status=410
    )


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, token: str) -> HttpResponse:
    assignment = takehome_by_token(token)
    if assignment is None:
        raise Http404
    now = timezone.now()
    if assignment.submitted_at is not None:
        return render(request, "interviews/takehome_done.html", {"assignment": assignment})
    try:
        takehome_ensure_open(assignment=assignment, now=now)
    except TakeHomeLinkExpired:
        return _expired(request, assignment)
    form = TakeHomeSubmissionForm()
    if request.method == "POST":
        form = TakeHomeSubmissionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                takehome_submit(
                    assignment=assignment,
                    upload=form.cleaned_data.get("submission_file"),
                    repository_url=form.cleaned_data.get("repository_url") or "",
                )
            except TakeHomeLinkExpired:
                return _expired(request, assignment)
            except ValidationError as exc:
                apply_service_errors(
                    form,
                    exc,
                    {"submission_file": "submission_file", "repository_url": "repository_url"},
                )
            else:
                return render(request, "interviews/takehome_done.html", {"assignment": assignment})
    return render(
        request,
        "interviews/takehome_submit.html",
        {"assignment": assignment, "form": form, "late": now > assignment.due_at},
        status=400 if form.errors else 200,
    )
