"""Reads of the hiring core. Query shape (joins, prefetches) is decided here so list endpoints and
admin pages keep a constant number of queries; visibility is decided here so every caller sees
only what the requester may see."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

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


def candidates_visible_to(*, user: User) -> QuerySet[Candidate]:
    candidates = Candidate.objects.prefetch_related(
        Prefetch("emails", queryset=CandidateEmail.objects.order_by("-is_primary", "id"))
    )
    if can_see_all_hiring(user):
        return candidates
    if not user.is_authenticated:
        return candidates.none()
    return candidates.filter(
        pk__in=Application.objects.filter(opening__hiring_manager=user).values("candidate_id")
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


def candidates_for_list(*, user: User) -> QuerySet[Candidate]:
    """``candidates_visible_to`` loading only ``CANDIDATE_LIST_FIELDS``, with the addresses as a
    plain list in ``email_addresses`` (primary first): going through ``candidate.emails.all()``
    builds a manager and a queryset per row, a measurable share of a 200-row page. Reading any
    other field from these rows costs a query per row (the API's query-count tests would show
    it)."""
    addresses = CandidateEmail.objects.order_by("-is_primary", "id").only("candidate_id", "email")
    return (
        candidates_visible_to(user=user)
        .only(*CANDIDATE_LIST_FIELDS)
        .prefetch_related(None)
        .prefetch_related(Prefetch("emails", queryset=addresses, to_attr="email_addresses"))
    )


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
