"""Candidates: create and update with their e-mail addresses, and the ATS's idempotent upsert by
external id. Natural keys (GitHub login, external id, ORCID, e-mail) are checked up front so a
duplicate is a field error naming the existing candidate, and guarded by unique constraints
against races."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.events.recording import (
    changes_between,
    event_record,
    fields_of,
    stored_fields_of,
)
from hiring.models import Candidate, CandidateEmail
from hiring.services._actors import User, _actor
from hiring.services.notices import notice_clock_start

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


def _save_guarded(write: Callable[[], Candidate]) -> Candidate:
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
    """Create a candidate from ``CANDIDATE_FIELDS`` and its addresses, the first one primary.
    Addresses are trimmed and de-duplicated case-insensitively, keeping the first spelling."""
    fields = _normalise(data.fields)
    emails = _clean_emails(data.emails or [])
    if errors := _duplicate_errors(data=fields, emails=emails, exclude_pk=None):
        raise ValidationError(errors)
    candidate = Candidate(**fields, created_by=_actor(by), updated_by=_actor(by))
    if candidate.notice_state == Candidate.NoticeState.PENDING:
        notice_clock_start(candidate)  # found in public data: the Art. 14 month starts now
    _validate(candidate)

    def write() -> Candidate:
        candidate.save()
        _replace_emails(candidate, emails)
        after = {**fields_of(candidate, fields), "emails": emails}
        event_record(type="candidate.created", obj=candidate, changes=changes_between({}, after))
        return candidate

    return _save_guarded(write)


def _notice_fields(candidate: Candidate, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The notice clock follows a hand-set notice state: "pending" starts it, "sent" (told by
    other means, say in person) stops it; an objection has its own service, which also
    suppresses the person, so it cannot be set as a plain field."""
    state = fields.get("notice_state")
    if state is None or state == candidate.notice_state:
        return {}
    if state == Candidate.NoticeState.OBJECTED:
        raise ValidationError(
            {
                "notice_state": [
                    "Record an objection with the objection action (it also withdraws "
                    "their applications and stops sourcing them)."
                ]
            }
        )
    extra: dict[str, Any] = {}
    if state == Candidate.NoticeState.PENDING and candidate.sourced_at is None:
        probe = Candidate()
        notice_clock_start(probe)
        extra = {"sourced_at": probe.sourced_at, "notice_due_at": probe.notice_due_at}
    if state == Candidate.NoticeState.SENT and candidate.notice_sent_at is None:
        extra["notice_sent_at"] = timezone.now()
    return extra


def candidate_update(*, candidate: Candidate, data: CandidateInput, by: User = None) -> Candidate:
    """Change the given fields and save only those; ``data.emails`` replaces every address when
    given and leaves them alone when ``None``. A candidate's own keys never clash with itself.
    After a ``ValidationError`` from validation the row is unchanged (the caller's instance may
    hold the refused values)."""
    if candidate.erased_at is not None:
        raise ValidationError(
            {"non_field_errors": ["This person was erased; nothing can be added back to them."]}
        )
    fields = _normalise(data.fields)
    emails = _clean_emails(data.emails) if data.emails is not None else None
    if errors := _duplicate_errors(data=fields, emails=emails, exclude_pk=candidate.pk):
        raise ValidationError(errors)
    fields.update(_notice_fields(candidate, fields))
    before = stored_fields_of(candidate, fields)
    if emails is not None:
        before["emails"] = list(candidate.emails.values_list("email", flat=True))
    for name, value in fields.items():
        setattr(candidate, name, value)
    _validate(candidate)
    after = fields_of(candidate, fields)
    if emails is not None:
        after["emails"] = emails
    changes = changes_between(before, after)
    if not changes:
        # The same values again (an ATS re-syncing): nothing is written, ``updated_at`` stays,
        # so a poll by ``updated_after`` and the audit trail see no change that did not happen.
        return candidate
    candidate.updated_by = _actor(by)

    def write() -> Candidate:
        changed = [name for name in changes if name != "emails"]
        candidate.save(update_fields=[*changed, "updated_by", "updated_at"])
        if "emails" in changes:
            _replace_emails(candidate, emails or [])
        event_record(
            type="candidate.updated",
            obj=candidate,
            changes=changes,
            opening_ids=candidate.applications.values_list("opening_id", flat=True),
        )
        return candidate

    return _save_guarded(write)


def candidate_email_list(*, candidate: Candidate) -> list[str]:
    """The candidate's addresses, primary first."""
    return list(candidate.emails.order_by("-is_primary", "id").values_list("email", flat=True))


def candidate_emails_changed(*, candidate: Candidate, before: list[str], by: User = None) -> None:
    """Record ``candidate.updated`` for addresses written outside ``candidate_update`` (the
    admin's inline), when they differ from ``before``; inside the caller's transaction."""
    after = candidate_email_list(candidate=candidate)
    if after == before:
        return
    with transaction.atomic():
        event_record(
            type="candidate.updated",
            obj=candidate,
            changes={"emails": [before, after]},
            opening_ids=candidate.applications.values_list("opening_id", flat=True),
        )


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
