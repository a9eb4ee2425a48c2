"""Reads of the hiring core. Query shape (joins, prefetches) is decided here so list endpoints and
admin pages keep a constant number of queries; visibility is decided here so every caller sees
only what the requester may see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import EmailField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from hiring.models import (
    Application,
    BarVersion,
    Candidate,
    CandidateEmail,
    Opening,
    RoleBar,
    RoleProfile,
    StageChange,
)

User = AuthUser | AnonymousUser


def can_see_all_hiring(user: User) -> bool:
    """Recruiters and ATS integrations hold the model permission; hiring managers do not and see
    only their own openings."""
    return bool(user.is_authenticated and user.has_perm("hiring.view_application"))


def role_profiles_with_bars() -> QuerySet[RoleProfile]:
    """Active profiles with their bars and ``current_bar_version`` (the latest published version
    number, or None), in two queries whatever the number of profiles."""
    latest_number = (
        BarVersion.objects.filter(role_profile=OuterRef("pk")).order_by("-number").values("number")
    )
    return (
        RoleProfile.objects.filter(is_active=True)
        .annotate(current_bar_version=Subquery(latest_number[:1]))
        .prefetch_related(Prefetch("bars", queryset=RoleBar.objects.select_related("competency")))
    )


def role_profile_latest_versions(*, role_profile: RoleProfile) -> QuerySet[BarVersion]:
    return role_profile.bar_versions.order_by("-number")


def openings_visible_to(*, user: User) -> QuerySet[Opening]:
    openings = Opening.objects.select_related("role_profile", "hiring_manager")
    if can_see_all_hiring(user):
        return openings
    if not user.is_authenticated:
        return openings.none()
    return openings.filter(hiring_manager=user)


def _candidates_scoped(
    candidates: QuerySet[Candidate, Any], *, user: User
) -> QuerySet[Candidate, Any]:
    if can_see_all_hiring(user):
        return candidates
    if not user.is_authenticated:
        return candidates.none()
    return candidates.filter(
        pk__in=Application.objects.filter(opening__hiring_manager=user).values("candidate_id")
    )


def candidates_visible_to(*, user: User) -> QuerySet[Candidate]:
    return _candidates_scoped(
        Candidate.objects.prefetch_related(Prefetch("emails", queryset=_emails_in_order())),
        user=user,
    )


# What the candidate list shows; long text (evidence) and JSON (name forms) stay in the database.
CANDIDATE_LIST_FIELDS = (
    "id",
    "full_name",
    "github_login",
    "orcid",
    "external_id",
    "homepage",
    "source",
    "notice_state",
    "consent_state",
    "created_at",
    "updated_at",
)


def _emails_in_order() -> QuerySet[CandidateEmail]:
    return CandidateEmail.objects.order_by("-is_primary", "id")


def candidates_for_list(*, user: User) -> QuerySet[Candidate, dict[str, Any]]:
    """``candidates_visible_to`` as plain rows of ``CANDIDATE_LIST_FIELDS``. The list is the
    ATS's hottest call: building model instances and running a serializer per row was most of a
    page's CPU time, so the page is rendered from these rows (see ``candidate_rows_with_emails``).
    On PostgreSQL each row also carries its ``emails`` (primary first) from the same query, an
    ``ARRAY(subquery)`` on the candidate's index; SQLite has no ordered aggregate for that.
    """
    rows = Candidate.objects.values(*CANDIDATE_LIST_FIELDS)
    if connections[rows.db].vendor == "postgresql":
        rows = rows.annotate(emails=_EMAILS_ARRAY)
    return _candidates_scoped(rows, user=user)


# The ORM's ArraySubquery over ``_emails_in_order`` writes this SQL too, but building and compiling
# it took a fifth of a page's CPU time; raw SQL is used as is. The candidate table is never aliased
# in ``candidates_for_list``'s query, and nothing here comes from the request.
_EMAILS_ARRAY = RawSQL(
    "ARRAY(SELECT e.email FROM hiring_candidateemail e"
    " WHERE e.candidate_id = hiring_candidate.id ORDER BY e.is_primary DESC, e.id)",
    (),
    output_field=ArrayField(EmailField()),
)


def candidate_rows_with_emails(*, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A page of ``candidates_for_list`` rows with their ``emails`` (primary first): as they are
    when the page query brought them, otherwise added with one query."""
    if not rows or "emails" in rows[0]:
        return rows
    by_candidate: dict[int, list[str]] = {row["id"]: [] for row in rows}
    addresses = (
        CandidateEmail.objects.filter(candidate_id__in=by_candidate)
        .order_by("candidate_id", "-is_primary", "id")
        .values_list("candidate_id", "email")
    )
    for candidate_id, email in addresses:
        by_candidate[candidate_id].append(email)
    for row in rows:
        row["emails"] = by_candidate[row["id"]]
    return rows


def applications_visible_to(*, user: User) -> QuerySet[Application]:
    applications = Application.objects.select_related(
        "candidate", "opening", "opening__role_profile", "bar_version"
    )
    if can_see_all_hiring(user):
        return applications
    if not user.is_authenticated:
        return applications.none()
    return applications.filter(opening__hiring_manager=user)


def application_history(*, application: Application) -> QuerySet[StageChange]:
    return application.history.select_related("actor").order_by("created_at", "id")
