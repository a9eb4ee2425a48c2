"""Blind take-home grading. Everything here renders from ``selectors.takehomes_to_grade``, which
never joins the candidate: until the grader has submitted their grade the page cannot show who
the submission is from. Afterwards it reveals the candidate, so the grader can join the debrief."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from hiring.models import Application
from interviews.forms import GradeForm, apply_service_errors
from interviews.models import TakeHomeGrade
from interviews.permissions import access_takehome_to_grade_by_id
from interviews.services.takehomes import CriterionScoreInput, criterion_field, takehome_grade_save


@login_required
@require_http_methods(["GET", "POST"])
def grade(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_takehome_to_grade_by_id(request.user, pk)
    criteria = list(assignment.template.criteria.all())
    mine = (
        TakeHomeGrade.objects.filter(assignment=assignment, grader_id=request.user.pk)
        .prefetch_related("scores")
        .first()
    )
    submitted = mine is not None and mine.status == TakeHomeGrade.Status.SUBMITTED
    form: GradeForm | None = None
    if not submitted and assignment.submitted_at is not None:
        if request.method == "POST":
            form = GradeForm(request.POST, criteria=criteria)
            if form.is_valid():
                submitting = request.POST.get("action") == "submit"
                try:
                    takehome_grade_save(
                        assignment=assignment,
                        grader=request.user,
                        scores=[CriterionScoreInput(*row) for row in form.scores()],
                        notes=form.cleaned_data.get("notes") or "",
                        submit=submitting,
                    )
                except ValidationError as exc:
                    field_for = {criterion_field(c.pk): f"score_{c.pk}" for c in criteria}
                    apply_service_errors(form, exc, field_for)
                else:
                    messages.success(request, "Grade submitted." if submitting else "Draft saved.")
                    return redirect(reverse("interviewer-grade", args=[assignment.pk]))
        else:
            initial = {"notes": mine.notes} if mine else {}
            for score in mine.scores.all() if mine else []:
                initial[f"score_{score.criterion_id}"] = str(score.score)
                initial[f"comment_{score.criterion_id}"] = score.comment
            form = GradeForm(initial=initial, criteria=criteria)
    revealed = (
        Application.objects.select_related("candidate", "opening").get(pk=assignment.application_id)
        if submitted
        else None
    )
    return render(
        request,
        "interviews/grade.html",
        {
            "assignment": assignment,
            "form": form,
            "mine": mine,
            "submitted": submitted,
            "revealed": revealed,
            "has_submission": assignment.submitted_at is not None,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def grade_file(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded file, named by the anonymous submission code whatever it was called."""
    assignment = access_takehome_to_grade_by_id(request.user, pk)
    if not assignment.submission_file:
        raise Http404
    name = (assignment.submission_file.name or "").rsplit("/", 1)[-1]
    return FileResponse(assignment.submission_file.open("rb"), as_attachment=True, filename=name)
