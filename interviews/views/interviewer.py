"""The interviewer's pages: "my interviews", one interview (kit + scorecard form + the others'
scorecards once unlocked) and the verdict for those allowed to read it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from interviews import selectors
from interviews.forms import AmendmentForm, ScorecardForm, apply_service_errors
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
    scorecard_amend,
    scorecard_save_draft,
    scorecard_submit,
)
from interviews.verdict import application_verdict


@login_required
def home(request: HttpRequest) -> HttpResponse:
    interviews = selectors.interviews_assigned_to(user=request.user)
    upcoming, past = selectors.interviews_split_by_time(interviews, now=timezone.now())
    own = {
        s.interview_id: s
        for s in Scorecard.objects.filter(interviewer_id=request.user.pk, interview__in=interviews)
    }
    return render(
        request,
        "interviews/home.html",
        {
            "upcoming": [(interview, own.get(interview.pk)) for interview in upcoming],
            "past": [(interview, own.get(interview.pk)) for interview in past],
            "takehomes": selectors.takehomes_to_grade(user=request.user),
        },
    )


def _field_map(interview: Interview) -> dict[str, str]:
    mapping = {"recommendation": "recommendation", "summary": "summary", "reason": "reason"}
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
    amend_form: AmendmentForm | None = None
    if is_interviewer and mine and mine.is_submitted:
        amend_form, done = _amend(request, mine, competencies)
        if done:
            return redirect(
                reverse("interviewer-interview", args=[interview.pk]) + "#scorecard-heading"
            )
    elif is_interviewer:
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
    bars = selectors.competency_bars(application=interview.application)
    active_form = amend_form if amend_form is not None else form
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
            "amend_form": amend_form,
            "blocks": [
                (competency, rating, evidence, bars.get(competency.slug))
                for competency, rating, evidence in active_form.blocks()
            ]
            if active_form is not None
            else [],
            "mine": mine,
            "mine_view": selectors.scorecard_view(scorecard=mine) if mine else None,
            "others": [selectors.scorecard_view(scorecard=s) for s in others],
            "can_read_verdict": can_read_verdict(user, interview.application_id),
            "debugging": debugging,
        },
        status=400 if active_form is not None and active_form.errors else 200,
    )


def _amend(
    request: HttpRequest, mine: Scorecard, competencies: list[Any]
) -> tuple[AmendmentForm, bool]:
    """The correction form under a submitted scorecard, prefilled with its current values.
    Returns the form and whether an amendment was just recorded."""
    if request.method == "POST" and request.POST.get("action") == "amend":
        form = AmendmentForm(request.POST, competencies=competencies)
        if form.is_valid():
            try:
                scorecard_amend(
                    scorecard=mine,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    ratings=[
                        RatingInput(slug, rating, evidence)
                        for slug, rating, evidence in form.ratings()
                    ],
                    recommendation=form.cleaned_data.get("recommendation") or "",
                )
            except ValidationError as exc:
                apply_service_errors(form, exc, _field_map(mine.interview))
            else:
                messages.success(request, "Correction recorded.")
                return form, True
        return form, False
    initial = ScorecardForm.initial_from(
        selectors.scorecard_effective(scorecard=mine),
        selectors.scorecard_effective_recommendation(scorecard=mine),
        "",
    )
    return AmendmentForm(initial=initial, competencies=competencies), False


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
    findings = list(session.findings.all()) if session is not None else []
    return {
        "session": session,
        # The hints given so far stay on their bug's row: the interviewer reads them out there.
        "findings": [(f, list(f.bug.hints or [])[: f.hints_used]) for f in findings],
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
            submitting=submit,
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
