"""The interviewer's pages: "my interviews", one interview (kit + scorecard form + the others'
scorecards once unlocked) and the verdict for those allowed to read it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from interviews import selectors
from interviews.forms import ScorecardForm, apply_service_errors
from interviews.models import (
    BugFinding,
    DebuggingSession,
    DebuggingTask,
    Interview,
    InterviewStage,
    Scorecard,
)
from interviews.permissions import (
    access_interview_by_id,
    access_verdict_by_application_id,
    can_read_verdict,
)
from interviews.services.scorecards import (
    RatingInput,
    rating_field,
    scorecard_save_draft,
    scorecard_submit,
)
from interviews.verdict import application_verdict


@login_required
def home(request: HttpRequest) -> HttpResponse:
    interviews = selectors.interviews_assigned_to(user=request.user).order_by("scheduled_at")
    own = {
        s.interview_id: s
        for s in Scorecard.objects.filter(interviewer_id=request.user.pk, interview__in=interviews)
    }
    rows = [(interview, own.get(interview.pk)) for interview in interviews]
    return render(
        request,
        "interviews/home.html",
        {"rows": rows, "takehomes": selectors.takehomes_to_grade(user=request.user)},
    )


def _field_map(interview: Interview) -> dict[str, str]:
    mapping = {"recommendation": "recommendation", "summary": "summary"}
    for competency in interview.kit.focus_competencies.all():
        mapping[rating_field(competency.slug, "rating")] = f"rating_{competency.slug}"
        mapping[rating_field(competency.slug, "evidence")] = f"evidence_{competency.slug}"
    return mapping


@login_required
@require_http_methods(["GET", "POST"])
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    interview = access_interview_by_id(user, pk)
    competencies = list(interview.kit.focus_competencies.all())
    is_interviewer = any(person.pk == user.pk for person in interview.interviewers.all())
    mine = (
        selectors.scorecards_visible_to(user=user)
        .filter(interview=interview, interviewer_id=user.pk)
        .first()
    )
    form: ScorecardForm | None = None
    if is_interviewer and not (mine and mine.is_submitted):
        if request.method == "POST":
            form = ScorecardForm(request.POST, competencies=competencies)
            if form.is_valid():
                submitting = request.POST.get("action") == "submit"
                try:
                    _save(form, interview=interview, user=user, submit=submitting)
                except ValidationError as exc:
                    apply_service_errors(form, exc, _field_map(interview))
                else:
                    messages.success(
                        request, "Scorecard submitted." if submitting else "Draft saved."
                    )
                    return redirect(reverse("interviewer-interview", args=[interview.pk]))
        else:
            initial = (
                ScorecardForm.initial_from(
                    selectors.scorecard_effective(scorecard=mine), mine.recommendation, mine.summary
                )
                if mine
                else None
            )
            form = ScorecardForm(initial=initial, competencies=competencies)
    others = [
        s
        for s in selectors.scorecards_of_application(
            user=user, application_id=interview.application_id
        )
        if s.interviewer_id != user.pk
    ]
    debugging = (
        _debugging_context(interview, user)
        if is_interviewer and interview.kit.stage == InterviewStage.PAIR_DEBUGGING
        else None
    )
    return render(
        request,
        "interviews/interview.html",
        {
            "interview": interview,
            "kit": interview.kit,
            "questions": interview.kit.questions.select_related("competency"),
            "candidate": interview.application.candidate,
            "is_interviewer": is_interviewer,
            "form": form,
            "mine": mine,
            "mine_view": selectors.scorecard_view(scorecard=mine) if mine else None,
            "others": [selectors.scorecard_view(scorecard=s) for s in others],
            "can_read_verdict": can_read_verdict(user, interview.application_id),
            "debugging": debugging,
        },
        status=400 if form is not None and form.errors else 200,
    )


def _debugging_context(interview: Interview, user: object) -> dict[str, object]:
    session = (
        DebuggingSession.objects.filter(
            interview=interview, interviewer_id=getattr(user, "pk", None)
        )
        .select_related("task")
        .prefetch_related(
            Prefetch(
                "findings", queryset=BugFinding.objects.select_related("bug").order_by("bug__order")
            )
        )
        .first()
    )
    return {
        "session": session,
        "tasks": DebuggingTask.objects.filter(is_active=True) if session is None else [],
    }


def _save(form: ScorecardForm, *, interview: Interview, user: object, submit: bool) -> None:
    """Save the draft; then, if asked, submit it. The draft is kept even when the submission is
    refused (for example a missing rating), so nothing typed is lost."""
    with transaction.atomic():
        scorecard = scorecard_save_draft(
            interview=interview,
            by=user,
            ratings=[
                RatingInput(slug, rating, evidence) for slug, rating, evidence in form.ratings()
            ],
            recommendation=form.cleaned_data.get("recommendation") or "",
            summary=form.cleaned_data.get("summary") or "",
        )
    if submit:
        scorecard_submit(scorecard=scorecard, by=user)


@login_required
def verdict_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_verdict_by_application_id(request.user, pk)
    return render(
        request,
        "interviews/verdict.html",
        {"application": application, "verdict": application_verdict(application=application)},
    )
