"""Reads of the hiring core. Query shape (joins, prefetches) is decided here so list endpoints and
admin pages keep a constant number of queries; visibility is decided here so every caller sees
only what the requester may see."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import (
    CharField,
    EmailField,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL

from core.events.models import Event, EventScope
from core.requester import User
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
    "notice_due_at",
    "erased_at",
    "created_at",
    "updated_at",
)
# The list's times, rendered in the query on PostgreSQL (``<name>_iso``).
_LIST_TIMES = ("notice_due_at", "erased_at", "created_at", "updated_at")


def _emails_in_order() -> QuerySet[CandidateEmail]:
    return CandidateEmail.objects.order_by("-is_primary", "id")


def candidates_for_list(*, user: User) -> QuerySet[Candidate, dict[str, Any]]:
    """``candidates_visible_to`` as plain rows of ``CANDIDATE_LIST_FIELDS``, to be completed by
    ``candidate_page_rows``. The list is the ATS's hottest call: building model instances and
    running a serializer per row was most of a page's CPU time, so the page is rendered from these
    rows. On PostgreSQL the query also brings each row's ``addresses`` and its times rendered
    (``created_at_iso``, ``updated_at_iso``); SQLite has neither an ordered aggregate nor
    microseconds in ``strftime``, so ``candidate_page_rows`` does that work there.
    """
    rows = _list_rows(connections[Candidate.objects.db].vendor).filter(merged_into__isnull=True)
    return _candidates_scoped(rows, user=user)


@functools.cache
def _list_rows(vendor: str) -> QuerySet[Candidate, dict[str, Any]]:
    """The list's unscoped query, built once per process: resolving these columns and expressions
    cost more CPU than running the query. Callers take a copy (``.all()``) and never evaluate this
    one, whose result cache would then be shared."""
    rows: QuerySet[Candidate, dict[str, Any]]
    if vendor == "postgresql":
        rows = Candidate.objects.values(*_UNTIMED_LIST_FIELDS, **_POSTGRESQL_LIST_EXPRESSIONS)
    else:
        rows = Candidate.objects.values(*CANDIDATE_LIST_FIELDS)
    return rows


def candidate_page_rows(*, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A page of ``candidates_for_list`` rows with their ``addresses`` (primary first) and
    ``created_at_iso``/``updated_at_iso`` (ISO 8601 in UTC with ``Z``, as DRF renders times): as
    the page query brought them on PostgreSQL, otherwise added here, with one query."""
    if not rows or "addresses" in rows[0]:
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
        row["addresses"] = by_candidate[row["id"]]
        for name in _LIST_TIMES:
            value = row[name]
            row[f"{name}_iso"] = _iso_utc(value) if value is not None else None
    return rows


def _iso_utc(value: dt.datetime) -> str:
    """DRF's DateTimeField rendering for an aware time with UTC as the current time zone,
    without its per-call settings and time-zone lookups."""
    text = value.astimezone(dt.UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# What the ORM would write for these costs far more CPU to build and compile than the query takes
# to run (the ArraySubquery over ``_emails_in_order`` alone was a fifth of a page's CPU time), and
# parsing then re-rendering 100 times a page another sixth. The SQL is used as is: the candidate
# table is never aliased in ``candidates_for_list``'s query, and nothing here comes from a request.
# ``to_char`` always writes the microseconds; Python (so DRF) leaves them out when they are zero.
_UNTIMED_LIST_FIELDS = tuple(f for f in CANDIDATE_LIST_FIELDS if not f.endswith("_at"))
_CANDIDATE_TABLE = Candidate._meta.db_table


def _iso_utc_sql(column: str) -> RawSQL:
    """The column rendered as ``_iso_utc`` renders it (DRF's format)."""
    return RawSQL(  # noqa: S611 - our own table and column names, no request input
        f"replace(to_char({_CANDIDATE_TABLE}.{column} AT TIME ZONE 'UTC',"
        " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z')",
        (),
        output_field=CharField(),
    )


_POSTGRESQL_LIST_EXPRESSIONS = {
    **{f"{name}_iso": _iso_utc_sql(name) for name in _LIST_TIMES},
    "addresses": RawSQL(  # noqa: S611 - our own table names
        f"ARRAY(SELECT e.email FROM {CandidateEmail._meta.db_table} e"  # noqa: S608 - fixed names
        f" WHERE e.candidate_id = {_CANDIDATE_TABLE}.id ORDER BY e.is_primary DESC, e.id)",
        (),
        output_field=ArrayField(EmailField()),
    ),
}


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


def audit_events_visible_to(*, user: User) -> QuerySet[Event]:
    """The whole trail for those allowed to read it (``core.view_event``: recruiters, ATS
    integrations); a hiring manager reads the events that concern their own openings."""
    events = Event.objects.select_related("actor", "on_behalf_of")
    if user.is_authenticated and user.has_perm("core.view_event"):
        return events
    if not user.is_authenticated:
        return events.none()
    openings = openings_visible_to(user=user).values("pk")
    in_scope = EventScope.objects.filter(event=OuterRef("pk"), opening_id__in=openings)
    return events.filter(Exists(in_scope))
