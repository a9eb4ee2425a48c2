"""Scorecards: draft, submit, amend. A submitted scorecard is never written again; a correction
is an amendment row (who, when, why, before and after) that readers apply on top."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.events.recording import event_record
from interviews.events import verdict_record_if_changed
from interviews.levels import is_level
from interviews.models import (
    Interview,
    Recommendation,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
)
from interviews.selectors import scorecard_effective, scorecard_effective_recommendation

ALREADY_SUBMITTED = (
    "This scorecard is submitted and can no longer be edited; record an amendment instead."
)


@dataclass(frozen=True)
class RatingInput:
    """One competency's answer. ``rating`` None means "no evidence"."""

    competency: str
    rating: int | None
    evidence: str = ""


def rating_field(slug: str, part: str) -> str:
    """The error key for one part ("rating" or "evidence") of one competency's answer."""
    return f"ratings.{slug}.{part}"


def _validate_ratings(
    ratings: Iterable[RatingInput], *, focus: dict[str, int]
) -> dict[str, tuple[int | None, str]]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, tuple[int | None, str]] = {}
    for item in ratings:
        slug = item.competency
        if slug not in focus:
            errors[rating_field(slug, "rating")] = [
                f'"{slug}" is not a focus competency of this interview.'
            ]
            continue
        if slug in cleaned:
            errors[rating_field(slug, "rating")] = ["Rated twice."]
            continue
        evidence = (item.evidence or "").strip()
        rating = item.rating
        if rating is not None and not is_level(rating):
            errors[rating_field(slug, "rating")] = [
                f"A rating is 1, 2, 3 or 4 (or no evidence), not {rating!r}."
            ]
            continue
        if rating is not None and not evidence:
            errors[rating_field(slug, "evidence")] = [
                "Write the evidence for this rating: what the candidate said or did."
            ]
            continue
        cleaned[slug] = (rating, evidence)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _validate_recommendation(recommendation: str) -> None:
    if recommendation and recommendation not in Recommendation.values:
        raise ValidationError(
            {"recommendation": [f"Choose one of: {', '.join(Recommendation.values)}."]}
        )


def _submission_gaps(
    *, focus: Iterable[str], answered: Collection[str], recommendation: str
) -> dict[str, list[str]]:
    """What a submission still lacks: an answer for each focus competency (a rating with
    evidence, or "no evidence") and a recommendation."""
    errors: dict[str, list[str]] = {
        rating_field(slug, "rating"): ['Rate this competency, or choose "no evidence".']
        for slug in focus
        if slug not in answered
    }
    if not recommendation:
        errors["recommendation"] = ["Choose an overall recommendation."]
    return errors


def _focus(interview: Interview) -> dict[str, int]:
    return {c.slug: c.pk for c in interview.kit.focus_competencies.all()}


@transaction.atomic
def scorecard_save_draft(
    *,
    interview: Interview,
    by: Any,
    ratings: Iterable[RatingInput],
    recommendation: str = "",
    summary: str = "",
    submitting: bool = False,
) -> Scorecard:
    """Create or update ``by``'s draft for ``interview``; answers given replace the stored ones,
    answers left out are removed. Preconditions: ``by`` is assigned to the interview (callers
    reach it through ``access_assigned_interview_by_id``). ``submitting``: the caller submits it
    next (``scorecard_submit``); a draft refused then also names what the submission lacks, so
    that one answer lists every error, not one round of them after another."""
    if not interview.interviewers.filter(pk=by.pk).exists():
        raise ValidationError({"interview": ["You are not an interviewer on this interview."]})
    focus = _focus(interview)
    ratings = list(ratings)
    try:
        cleaned = _validate_ratings(ratings, focus=focus)
        _validate_recommendation(recommendation)
    except ValidationError as exc:
        if not submitting:
            raise
        answered = {item.competency for item in ratings}
        gaps = _submission_gaps(focus=focus, answered=answered, recommendation=recommendation)
        raise ValidationError({**gaps, **exc.message_dict}) from exc
    scorecard, _ = Scorecard.objects.select_for_update().get_or_create(
        interview=interview, interviewer=by
    )
    if scorecard.is_submitted:
        raise ValidationError({"non_field_errors": [ALREADY_SUBMITTED]})
    scorecard.recommendation = recommendation
    scorecard.summary = summary.strip()
    scorecard.save(update_fields=["recommendation", "summary", "updated_at"])
    scorecard.ratings.all().delete()
    ScorecardRating.objects.bulk_create(
        ScorecardRating(
            scorecard=scorecard, competency_id=focus[slug], rating=rating, evidence=evidence
        )
        for slug, (rating, evidence) in cleaned.items()
    )
    return scorecard


@transaction.atomic
def scorecard_submit(*, scorecard: Scorecard, by: Any) -> Scorecard:
    """Submit a complete draft: every focus competency answered (a rating with evidence, or "no
    evidence") and a recommendation. The status moves by compare-and-set, so a double click or
    a retried request cannot submit twice; the second gets a validation error."""
    if scorecard.interviewer_id != by.pk:
        raise ValidationError({"non_field_errors": ["Only its author submits a scorecard."]})
    locked = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    if locked.is_submitted:
        raise ValidationError({"non_field_errors": ["This scorecard is already submitted."]})
    errors = _submission_gaps(
        focus=_focus(locked.interview),
        answered=set(locked.ratings.values_list("competency__slug", flat=True)),
        recommendation=locked.recommendation,
    )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    updated = Scorecard.objects.filter(pk=locked.pk, status=Scorecard.Status.DRAFT).update(
        status=Scorecard.Status.SUBMITTED, submitted_at=now, updated_at=now
    )
    if updated != 1:
        raise ValidationError({"non_field_errors": ["This scorecard is already submitted."]})
    scorecard.status = Scorecard.Status.SUBMITTED
    scorecard.submitted_at = now
    locked.refresh_from_db()
    application = locked.interview.application
    event_record(
        type="scorecard.submitted",
        obj=locked,
        changes={"status": [Scorecard.Status.DRAFT, Scorecard.Status.SUBMITTED]},
        opening_ids=[application.opening_id],
    )
    verdict_record_if_changed(application=application)
    return scorecard


@transaction.atomic
def scorecard_amend(
    *,
    scorecard: Scorecard,
    by: Any,
    reason: str,
    ratings: Iterable[RatingInput] = (),
    recommendation: str = "",
) -> ScorecardAmendment:
    """Record a correction to a submitted scorecard by its author. Only real changes are stored,
    each with its value before and after; the scorecard rows themselves stay as submitted."""
    if scorecard.interviewer_id != by.pk:
        raise ValidationError({"non_field_errors": ["Only its author amends a scorecard."]})
    locked = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    if not locked.is_submitted:
        raise ValidationError(
            {"non_field_errors": ["Edit the draft; amendments are for submitted scorecards."]}
        )
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the scorecard is amended."]})
    cleaned = _validate_ratings(ratings, focus=_focus(locked.interview))
    _validate_recommendation(recommendation)
    current = scorecard_effective(scorecard=locked)
    changes: dict[str, Any] = {}
    for slug, (rating, evidence) in cleaned.items():
        before = current.get(slug, (None, ""))
        if before != (rating, evidence):
            changes.setdefault("ratings", {})[slug] = {
                "before": {"rating": before[0], "evidence": before[1]},
                "after": {"rating": rating, "evidence": evidence},
            }
    current_recommendation = scorecard_effective_recommendation(scorecard=locked)
    if recommendation and recommendation != current_recommendation:
        changes["recommendation"] = {"before": current_recommendation, "after": recommendation}
    if not changes:
        raise ValidationError({"non_field_errors": ["Nothing to amend: the values are unchanged."]})
    amendment = ScorecardAmendment.objects.create(
        scorecard=locked, author=by, reason=reason.strip(), changes=changes
    )
    application = locked.interview.application
    event_record(
        type="scorecard.amended",
        obj=locked,
        changes={
            name: [value.get("before"), value.get("after")]
            for name, value in _flat_changes(changes).items()
        },
        opening_ids=[application.opening_id],
    )
    verdict_record_if_changed(application=application)
    return amendment


def _flat_changes(changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An amendment's changes as ``{"ratings.<slug>": {before, after}, "recommendation": ...}``."""
    flat = {f"ratings.{slug}": pair for slug, pair in changes.get("ratings", {}).items()}
    if "recommendation" in changes:
        flat["recommendation"] = changes["recommendation"]
    return flat
