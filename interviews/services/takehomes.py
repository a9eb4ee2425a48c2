"""Take-homes: assign (tokenised link), submit through the link, expire, grade blind.

The link token is shown once, when the assignment is created; only its SHA-256 is stored, so the
database alone cannot open a candidate's link."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.events.recording import event_record
from hiring.models import Application, Message, MessageTemplate
from hiring.services.messages import candidate_primary_email, message_queue
from interviews.events import verdict_record_if_changed
from interviews.levels import is_level
from interviews.models import (
    TakeHomeAssignment,
    TakeHomeCriterionScore,
    TakeHomeGrade,
    TakeHomeTemplate,
)
from interviews.services.interviews import closed_application_error

# No 0/O/1/I: codes are read aloud and typed by people.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, no 1/I
OPEN_STATUSES = (TakeHomeAssignment.Status.SENT,)
GRADABLE_STATUSES = (TakeHomeAssignment.Status.SUBMITTED, TakeHomeAssignment.Status.LATE)


class TakeHomeLinkExpired(Exception):
    """The link is past its expiry: the candidate gets a clear page, not a form."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_code() -> str:
    return "TH-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


@dataclass(frozen=True)
class CreatedAssignment:
    assignment: TakeHomeAssignment
    token: str  # shown once; build the candidate link from it
    # The e-mail with the link, queued with the assignment; None when the candidate has no
    # address (the recruiter then sends the link by hand).
    message: Message | None = None


def takehome_link(token: str) -> str:
    """The candidate's absolute link, as e-mailed (``SITE_URL``)."""
    return f"{settings.SITE_URL}{reverse('takehome-submit', args=[token])}"


def _queue_link_message(
    assignment: TakeHomeAssignment, *, application: Application, token: str, by: Any
) -> Message | None:
    candidate = application.candidate
    to = candidate_primary_email(candidate=candidate)
    if not to:
        return None
    template = assignment.template
    return message_queue(
        candidate=candidate,
        template_key=MessageTemplate.Key.TAKEHOME_LINK,
        to=to,
        recipient_kind=Message.RecipientKind.CANDIDATE,
        context={
            "candidate_name": candidate.full_name,
            "controller_name": settings.HIREBAR_CONTROLLER_NAME,
            "opening_title": application.opening.title,
            "takehome_title": template.title,
            "time_budget_minutes": template.time_budget_minutes,
            "link": takehome_link(token),
            "due_at": assignment.due_at,
            "link_expires_at": assignment.link_expires_at,
        },
        concerns=f"takehome:{assignment.pk}",
        by=by,
    )


def takehome_assign(
    *,
    application: Application,
    template: TakeHomeTemplate,
    due_at: datetime,
    graders: Iterable[User] = (),
    link_expires_at: datetime | None = None,
    blind: bool = True,
    by: Any = None,
    now: datetime | None = None,
) -> CreatedAssignment:
    """Send a take-home. The link stays usable until ``link_expires_at`` (by default due time
    plus ``INTERVIEWS_TAKEHOME_GRACE``); a submission after ``due_at`` is marked late. The link
    is e-mailed to the candidate's primary address once the assignment commits; the token is
    returned too, for a candidate without an address."""
    now = now or timezone.now()
    expires = link_expires_at or due_at + settings.INTERVIEWS_TAKEHOME_GRACE
    errors: dict[str, list[str]] = {}
    if due_at.tzinfo is None:
        errors["due_at"] = ["Give a timezone-aware time."]
    elif due_at <= now:
        errors["due_at"] = ["The due time must be in the future."]
    elif expires < due_at:
        errors["link_expires_at"] = ["The link cannot expire before the take-home is due."]
    if not template.is_active:
        errors["template"] = ["This template is retired."]
    elif (
        template.role_profile_id is not None
        and template.role_profile_id != application.opening.role_profile_id
    ):
        # Its criteria map to another role's competencies and would feed this verdict.
        errors["template"] = [
            f"This take-home is for the {template.role_profile} role; the application is for "
            f"{application.opening.role_profile}. Choose one of that role's take-homes."
        ]
    if message := closed_application_error(application=application):
        errors["application"] = [message]
    if errors:
        raise ValidationError(errors)
    for _ in range(5):
        token = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                assignment = TakeHomeAssignment.objects.create(
                    application=application,
                    template=template,
                    submission_code=_new_code(),
                    token_hash=token_hash(token),
                    sent_at=now,
                    due_at=due_at,
                    link_expires_at=expires,
                    blind=blind,
                    created_by=by if by is not None and by.is_authenticated else None,
                )
                assignment.graders.set(list(graders))
                _record(
                    assignment,
                    type="takehome.assigned",
                    changes={"status": [None, assignment.status], "due_at": [None, due_at]},
                )
                link_message = _queue_link_message(
                    assignment, application=application, token=token, by=by
                )
        except IntegrityError:
            continue  # a code collision (1 in 10^9): draw again
        return CreatedAssignment(assignment=assignment, token=token, message=link_message)
    raise RuntimeError("Could not draw a unique submission code.")


def takehome_by_token(token: str) -> TakeHomeAssignment | None:
    return (
        TakeHomeAssignment.objects.select_related("template")
        .filter(token_hash=token_hash(token))
        .first()
    )


def takehome_expire_overdue(*, now: datetime | None = None) -> int:
    """Mark every unsubmitted assignment whose link has expired; idempotent (only ``sent`` rows
    past expiry change). Returns how many changed."""
    now = now or timezone.now()
    return TakeHomeAssignment.objects.filter(
        status=TakeHomeAssignment.Status.SENT, link_expires_at__lt=now
    ).update(status=TakeHomeAssignment.Status.EXPIRED)


def takehome_ensure_open(*, assignment: TakeHomeAssignment, now: datetime | None = None) -> None:
    """Raise ``TakeHomeLinkExpired`` when the link is past expiry, marking an unsubmitted
    assignment expired on the way (compare-and-set, so it never overwrites a submission)."""
    now = now or timezone.now()
    if assignment.status == TakeHomeAssignment.Status.EXPIRED:
        raise TakeHomeLinkExpired
    if now > assignment.link_expires_at:
        TakeHomeAssignment.objects.filter(
            pk=assignment.pk, status=TakeHomeAssignment.Status.SENT
        ).update(status=TakeHomeAssignment.Status.EXPIRED)
        raise TakeHomeLinkExpired


def _validate_upload(upload: UploadedFile) -> None:
    name = (upload.name or "").lower()
    allowed = settings.INTERVIEWS_TAKEHOME_ALLOWED_EXTENSIONS
    if not any(name.endswith(ext) for ext in allowed):
        raise ValidationError(
            {"submission_file": [f"Upload one of these file types: {', '.join(allowed)}."]}
        )
    limit = settings.INTERVIEWS_TAKEHOME_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {"submission_file": [f"The file is larger than {limit // (1024 * 1024)} MB."]}
        )


def _validate_repository(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        raise ValidationError({"repository_url": ["Give an https:// link to the repository."]})


def takehome_submit(
    *,
    assignment: TakeHomeAssignment,
    upload: UploadedFile | None = None,
    repository_url: str = "",
    now: datetime | None = None,
) -> TakeHomeAssignment:
    """Accept the candidate's one submission. After ``due_at`` it is stored as late; after the
    link expired it is refused with ``TakeHomeLinkExpired`` (and the assignment marked expired).
    The status moves by compare-and-set from ``sent``, so two racing posts store one."""
    now = now or timezone.now()
    takehome_ensure_open(assignment=assignment, now=now)
    if assignment.status not in OPEN_STATUSES:
        raise ValidationError({"non_field_errors": ["This take-home was already submitted."]})
    repository_url = repository_url.strip()
    if upload is None and not repository_url:
        raise ValidationError(
            {"non_field_errors": ["Upload your work or give the link to its repository."]}
        )
    if upload is not None:
        _validate_upload(upload)
    if repository_url:
        _validate_repository(repository_url)
    status = (
        TakeHomeAssignment.Status.LATE
        if now > assignment.due_at
        else TakeHomeAssignment.Status.SUBMITTED
    )
    with transaction.atomic():
        claimed = TakeHomeAssignment.objects.filter(
            pk=assignment.pk, status=TakeHomeAssignment.Status.SENT
        ).update(status=status, submitted_at=now, repository_url=repository_url)
        if claimed != 1:
            raise ValidationError({"non_field_errors": ["This take-home was already submitted."]})
        assignment.refresh_from_db()
        if upload is not None:
            # Stored under the anonymous code: the original file name may carry the person's name.
            suffix = "".join(PurePath(upload.name or "").suffixes[-2:]).lower()
            assignment.submission_file.save(
                f"{assignment.submission_code}{suffix}", upload, save=False
            )
            assignment.save(update_fields=["submission_file"])
        _record(
            assignment,
            type="takehome.submitted",
            changes={"status": [TakeHomeAssignment.Status.SENT, status]},
        )
    return assignment


@dataclass(frozen=True)
class CriterionScoreInput:
    criterion_id: int
    score: int | None
    comment: str = ""


def criterion_field(criterion_id: int) -> str:
    return f"scores.{criterion_id}"


def _record(
    assignment: TakeHomeAssignment,
    *,
    type: str,  # the event's type, as webhooks name it
    changes: dict[str, list[Any]],
) -> None:
    event_record(
        type=type,
        obj=assignment,
        changes=changes,
        opening_ids=[assignment.application.opening_id],
    )


def _cleaned_scores(
    scores: Iterable[CriterionScoreInput], *, criteria: set[int], submit: bool
) -> tuple[dict[int, tuple[int, str]], dict[str, list[str]]]:
    """``({criterion: (score, comment)}, field errors)``; submitting needs every criterion."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, tuple[int, str]] = {}
    for item in scores:
        if item.criterion_id not in criteria:
            errors["scores"] = [f"Criterion {item.criterion_id} is not part of this take-home."]
        elif item.score is None:
            continue
        elif not is_level(item.score):
            errors[criterion_field(item.criterion_id)] = ["A score is 1, 2, 3 or 4."]
        else:
            cleaned[item.criterion_id] = (item.score, item.comment.strip())
    if submit:
        for pk in criteria:
            if pk not in cleaned and criterion_field(pk) not in errors:
                errors[criterion_field(pk)] = ["Score this criterion before submitting."]
    return cleaned, errors


@transaction.atomic
def takehome_grade_save(
    *,
    assignment: TakeHomeAssignment,
    grader: Any,
    scores: Iterable[CriterionScoreInput],
    notes: str = "",
    submit: bool = False,
) -> TakeHomeGrade:
    """Save ``grader``'s scores (a draft, or submitted when ``submit``). Submitting needs a score
    for every criterion and is final. When every assigned grader has submitted, the assignment
    becomes ``graded``."""
    if not assignment.graders.filter(pk=grader.pk).exists():
        raise ValidationError({"non_field_errors": ["You are not a grader of this take-home."]})
    if assignment.status not in (*GRADABLE_STATUSES, TakeHomeAssignment.Status.GRADED):
        raise ValidationError({"non_field_errors": ["There is no submission to grade yet."]})
    criteria = {c.pk for c in assignment.template.criteria.all()}
    cleaned, errors = _cleaned_scores(scores, criteria=criteria, submit=submit)
    if errors:
        raise ValidationError(errors)
    grade, _ = TakeHomeGrade.objects.select_for_update().get_or_create(
        assignment=assignment, grader=grader
    )
    if grade.status == TakeHomeGrade.Status.SUBMITTED:
        raise ValidationError({"non_field_errors": ["Your grade is already submitted."]})
    grade.notes = notes.strip()
    grade.save(update_fields=["notes"])
    grade.scores.all().delete()
    TakeHomeCriterionScore.objects.bulk_create(
        TakeHomeCriterionScore(grade=grade, criterion_id=pk, score=score, comment=comment)
        for pk, (score, comment) in cleaned.items()
    )
    if submit:
        now = timezone.now()
        TakeHomeGrade.objects.filter(pk=grade.pk, status=TakeHomeGrade.Status.DRAFT).update(
            status=TakeHomeGrade.Status.SUBMITTED, submitted_at=now
        )
        grade.status, grade.submitted_at = TakeHomeGrade.Status.SUBMITTED, now
        _mark_graded_when_complete(assignment)
        done = assignment.grades.filter(status=TakeHomeGrade.Status.SUBMITTED).count()
        _record(
            assignment,
            type="takehome.graded",
            changes={"grades_submitted": [done - 1, done]},
        )
        verdict_record_if_changed(application=assignment.application)
    return grade


def _mark_graded_when_complete(assignment: TakeHomeAssignment) -> None:
    pending = assignment.graders.exclude(
        pk__in=assignment.grades.filter(status=TakeHomeGrade.Status.SUBMITTED).values("grader_id")
    )
    if not pending.exists():
        TakeHomeAssignment.objects.filter(
            Q(pk=assignment.pk) & Q(status__in=GRADABLE_STATUSES)
        ).update(status=TakeHomeAssignment.Status.GRADED)
        assignment.refresh_from_db(fields=["status"])
