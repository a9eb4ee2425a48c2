"""Writes of the hiring core. The admin, the API, commands and other apps call these, so every
rule (legal stage moves, natural-key duplicates, bar versioning) is enforced once, here.

Every function raises ``django.core.exceptions.ValidationError`` with field errors for input the
caller can fix, and leaves the database untouched when it does."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hiring.models import (
    Application,
    BarVersion,
    Candidate,
    CandidateEmail,
    Opening,
    RejectionReason,
    RoleProfile,
    Stage,
    StageChange,
)

User = AuthUser | AnonymousUser | None


# Legal moves. Rejected, withdrawn and hired are final: a reopened candidacy is a new decision and
# gets a new application, so the history of the old one stays true.
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.SOURCED: frozenset({Stage.CONTACTED, Stage.SCREEN}),
    Stage.CONTACTED: frozenset({Stage.SCREEN}),
    Stage.SCREEN: frozenset({Stage.TAKE_HOME, Stage.ONSITE}),
    Stage.TAKE_HOME: frozenset({Stage.ONSITE}),
    Stage.ONSITE: frozenset({Stage.DEBRIEF}),
    Stage.DEBRIEF: frozenset({Stage.OFFER}),
    Stage.OFFER: frozenset({Stage.HIRED}),
    Stage.HIRED: frozenset(),
    Stage.REJECTED: frozenset(),
    Stage.WITHDRAWN: frozenset(),
}
_EXITS = frozenset({Stage.REJECTED, Stage.WITHDRAWN})
FINAL_STAGES = frozenset({Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN})


def allowed_next_stages(stage: str) -> frozenset[str]:
    if stage in FINAL_STAGES:
        return frozenset()
    return TRANSITIONS[stage] | _EXITS


def _actor(user: User) -> Any:
    return user if user is not None and user.is_authenticated else None


# --- role profiles and bars ---------------------------------------------------------------------


def _bars_snapshot(role_profile: RoleProfile) -> list[dict[str, Any]]:
    return [
        {
            "competency": bar.competency.slug,
            "name": bar.competency.name,
            "minimum_level": bar.minimum_level,
            "strength_level": bar.strength_level,
        }
        for bar in role_profile.bars.select_related("competency").order_by(
            "competency__display_order", "competency__slug"
        )
    ]


@transaction.atomic
def role_profile_publish_bars(*, role_profile: RoleProfile, by: User = None) -> BarVersion:
    """Freeze the profile's current bars. Returns the latest version unchanged when the bars are
    the same, so calling it after every admin save is safe. Locks the profile row so two editors
    cannot both create version N+1."""
    RoleProfile.objects.select_for_update().filter(pk=role_profile.pk).first()
    snapshot = _bars_snapshot(role_profile)
    latest = role_profile.bar_versions.order_by("-number").first()
    if latest is not None and latest.bars == snapshot:
        return latest
    return BarVersion.objects.create(
        role_profile=role_profile,
        number=(latest.number + 1) if latest else 1,
        bars=snapshot,
        created_by=_actor(by),
    )


def role_profile_current_bar_version(*, role_profile: RoleProfile) -> BarVersion:
    latest = role_profile.bar_versions.order_by("-number").first()
    return latest if latest is not None else role_profile_publish_bars(role_profile=role_profile)


# --- openings -----------------------------------------------------------------------------------

# The role profile is set once, at creation: applications are judged against its bars, so moving
# an opening to another role would silently change what its candidates were measured against.
OPENING_FIELDS = frozenset({"title", "level", "team", "headcount", "hiring_manager", "status"})


def _opening_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - OPENING_FIELDS
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
    data = dict(fields)
    if "title" in data:
        data["title"] = (data["title"] or "").strip()
    return data


def _validate_opening(opening: Opening) -> None:
    try:
        opening.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def opening_create(
    *, role_profile: RoleProfile, fields: Mapping[str, Any], by: User = None
) -> Opening:
    """Open a position for an active role profile; ``fields`` holds any of ``OPENING_FIELDS``."""
    if not role_profile.is_active:
        raise ValidationError({"role": ["This role profile is retired."]})
    opening = Opening(
        role_profile=role_profile,
        **_opening_fields(fields),
        created_by=_actor(by),
        updated_by=_actor(by),
    )
    _validate_opening(opening)
    opening.save()
    return opening


def opening_update(*, opening: Opening, fields: Mapping[str, Any], by: User = None) -> Opening:
    data = _opening_fields(fields)
    for name, value in data.items():
        setattr(opening, name, value)
    opening.updated_by = _actor(by)
    _validate_opening(opening)
    opening.save(update_fields=[*data, "updated_by", "updated_at"])
    return opening


# --- candidates ---------------------------------------------------------------------------------

CANDIDATE_FIELDS = frozenset(
    {
        "full_name",
        "homepage",
        "github_login",
        "arxiv_name_forms",
        "orcid",
        "openreview_id",
        "semantic_scholar_id",
        "source",
        "source_evidence",
        "notice_state",
        "consent_state",
        "external_id",
    }
)
# Natural keys: blank means "unknown" and is stored as NULL so it never collides.
_NULLABLE_KEYS = ("github_login", "external_id", "orcid")


@dataclass(frozen=True)
class CandidateInput:
    fields: Mapping[str, Any]
    emails: list[str] | None = None  # None: leave emails as they are


def _normalise(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - CANDIDATE_FIELDS
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
    data = dict(fields)
    for key in _NULLABLE_KEYS:
        if key in data:
            value = (data[key] or "").strip()
            data[key] = value or None
    if "full_name" in data:
        data["full_name"] = (data["full_name"] or "").strip()
    return data


def _clean_emails(emails: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for raw in emails:
        email = raw.strip()
        if email and email.lower() not in seen:
            seen[email.lower()] = email
    return list(seen.values())


def _duplicate_errors(
    *, data: Mapping[str, Any], emails: list[str] | None, exclude_pk: int | None
) -> dict[str, list[str]]:
    """Field errors naming the existing candidate for every natural key already taken."""
    errors: dict[str, list[str]] = {}
    others = Candidate.objects.exclude(pk=exclude_pk) if exclude_pk else Candidate.objects.all()
    if data.get("github_login"):
        hit = others.filter(github_login__iexact=data["github_login"]).values_list("pk", flat=True)
        if pk := hit.first():
            errors["github_login"] = [f"A candidate with this GitHub login exists (id {pk})."]
    if data.get("external_id"):
        hit = others.filter(external_id=data["external_id"]).values_list("pk", flat=True)
        if pk := hit.first():
            errors["external_id"] = [f"A candidate with this external id exists (id {pk})."]
    if data.get("orcid"):
        hit = others.filter(orcid=data["orcid"]).values_list("pk", flat=True)
        if pk := hit.first():
            errors["orcid"] = [f"A candidate with this ORCID exists (id {pk})."]
    if emails:
        query = Q()
        for email in emails:
            query |= Q(email__iexact=email)
        taken = CandidateEmail.objects.filter(query)
        if exclude_pk:
            taken = taken.exclude(candidate_id=exclude_pk)
        clashes = [f"{e.email} belongs to candidate id {e.candidate_id}." for e in taken]
        if clashes:
            errors["emails"] = clashes
    return errors


def _validate(candidate: Candidate) -> None:
    forms = candidate.arxiv_name_forms
    if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
        raise ValidationError({"arxiv_name_forms": ["Expected a list of names."]})
    try:
        candidate.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _replace_emails(candidate: Candidate, emails: list[str]) -> None:
    for email in emails:
        try:
            CandidateEmail(candidate=candidate, email=email).clean_fields(exclude=["candidate"])
        except ValidationError as exc:
            raise ValidationError({"emails": [f"{email}: {m}" for m in exc.messages]}) from exc
    candidate.emails.all().delete()
    CandidateEmail.objects.bulk_create(
        CandidateEmail(candidate=candidate, email=email, is_primary=(i == 0))
        for i, email in enumerate(emails)
    )


def _save_guarded(write: Any) -> Any:
    """Run ``write`` in a savepoint; a unique-constraint race that slipped past the pre-check
    becomes a 400-style error instead of a 500, and nothing of the write is kept."""
    try:
        with transaction.atomic():
            return write()
    except IntegrityError as exc:
        raise ValidationError(
            {"non_field_errors": ["A candidate with one of these identifiers already exists."]}
        ) from exc


def candidate_create(*, data: CandidateInput, by: User = None) -> Candidate:
    fields = _normalise(data.fields)
    emails = _clean_emails(data.emails or [])
    if errors := _duplicate_errors(data=fields, emails=emails, exclude_pk=None):
        raise ValidationError(errors)
    candidate = Candidate(**fields, created_by=_actor(by), updated_by=_actor(by))
    _validate(candidate)

    def write() -> Candidate:
        candidate.save()
        _replace_emails(candidate, emails)
        return candidate

    return _save_guarded(write)


def candidate_update(*, candidate: Candidate, data: CandidateInput, by: User = None) -> Candidate:
    fields = _normalise(data.fields)
    emails = _clean_emails(data.emails) if data.emails is not None else None
    if errors := _duplicate_errors(data=fields, emails=emails, exclude_pk=candidate.pk):
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(candidate, name, value)
    candidate.updated_by = _actor(by)
    _validate(candidate)

    def write() -> Candidate:
        candidate.save(update_fields=[*fields, "updated_by", "updated_at"])
        if emails is not None:
            _replace_emails(candidate, emails)
        return candidate

    return _save_guarded(write)


def candidate_upsert_by_external_id(
    *, external_id: str, data: CandidateInput, by: User = None
) -> tuple[Candidate, bool]:
    """Create or update the candidate the ATS knows as ``external_id``. Repeating the same call
    gives the same result, so an ATS can retry freely. Returns ``(candidate, created)``."""
    external_id = external_id.strip()
    if not external_id:
        raise ValidationError({"external_id": ["This field may not be blank."]})
    fields = {**data.fields, "external_id": external_id}
    with transaction.atomic():
        existing = Candidate.objects.select_for_update().filter(external_id=external_id).first()
        if existing is None:
            try:
                return candidate_create(data=CandidateInput(fields, data.emails), by=by), True
            except ValidationError:
                # A concurrent retry of the same upsert may have created the row after our
                # look-up (there was no row to lock); then this call is an update, not an error.
                existing = (
                    Candidate.objects.select_for_update().filter(external_id=external_id).first()
                )
                if existing is None:
                    raise
        return candidate_update(
            candidate=existing, data=CandidateInput(fields, data.emails), by=by
        ), False


# --- applications -------------------------------------------------------------------------------


ALREADY_APPLIED = "This candidate already applied to this opening."


@transaction.atomic
def application_create(
    *, candidate: Candidate, opening: Opening, by: User = None, reason: str = ""
) -> Application:
    """Open an application in ``sourced`` against the opening's current bars."""
    if opening.status == Opening.Status.CLOSED:
        raise ValidationError({"opening": ["This opening is closed."]})
    if Application.objects.filter(candidate=candidate, opening=opening).exists():
        raise ValidationError({"non_field_errors": [ALREADY_APPLIED]})
    bar_version = role_profile_current_bar_version(role_profile=opening.role_profile)
    now = timezone.now()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                candidate=candidate,
                opening=opening,
                bar_version=bar_version,
                stage=Stage.SOURCED,
                stage_changed_at=now,
                created_by=_actor(by),
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"non_field_errors": ["This candidate already applied to this opening."]}
        ) from exc
    StageChange.objects.create(
        application=application,
        from_stage="",
        to_stage=Stage.SOURCED,
        reason=reason,
        actor=_actor(by),
    )
    return application


@transaction.atomic
def application_transition(
    *,
    application: Application,
    to_stage: str,
    by: User = None,
    reason: str = "",
    rejection_reason: str = "",
) -> Application:
    """Move an application one legal step. Locks the row so two concurrent moves cannot both
    start from the same stage; the caller's instance is refreshed with the result."""
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": [f'"{to_stage}" is not a stage.']})
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if to_stage not in allowed_next_stages(locked.stage):
        allowed = ", ".join(sorted(allowed_next_stages(locked.stage))) or "none (final stage)"
        raise ValidationError(
            {"to_stage": [f"Cannot move from {locked.stage} to {to_stage}; allowed: {allowed}."]}
        )
    if to_stage == Stage.REJECTED:
        if rejection_reason not in RejectionReason.values:
            raise ValidationError(
                {
                    "rejection_reason": [
                        "A rejection needs a reason: one of "
                        + ", ".join(RejectionReason.values)
                        + "."
                    ]
                }
            )
    elif rejection_reason:
        raise ValidationError({"rejection_reason": ["Only a rejection takes a rejection reason."]})

    from_stage = locked.stage
    locked.stage = to_stage
    locked.rejection_reason = rejection_reason
    locked.stage_changed_at = timezone.now()
    locked.save(update_fields=["stage", "rejection_reason", "stage_changed_at", "updated_at"])
    StageChange.objects.create(
        application=locked,
        from_stage=from_stage,
        to_stage=to_stage,
        reason=reason,
        rejection_reason=rejection_reason,
        actor=_actor(by),
    )
    application.stage = locked.stage
    application.rejection_reason = locked.rejection_reason
    application.stage_changed_at = locked.stage_changed_at
    application.updated_at = locked.updated_at
    return application


def applications_transition_many(
    *,
    applications: Iterable[Application],
    to_stage: str,
    by: User = None,
    reason: str = "",
    rejection_reason: str = "",
) -> tuple[list[Application], dict[int, list[str]]]:
    """Move several applications (the admin's bulk action). Each move is its own transaction, so
    one illegal move does not undo the others; returns ``(moved, errors_by_application_id)``."""
    moved: list[Application] = []
    errors: dict[int, list[str]] = {}
    for application in applications:
        try:
            moved.append(
                application_transition(
                    application=application,
                    to_stage=to_stage,
                    by=by,
                    reason=reason,
                    rejection_reason=rejection_reason,
                )
            )
        except ValidationError as exc:
            errors[application.pk] = exc.messages
    return moved, errors
