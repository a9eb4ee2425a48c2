"""Query counts of every hiring changelist, pinned: the count with many rows equals the count with
one row, so an N+1 (a column, filter or link that queries per row) fails here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring import services
from hiring.models import Stage
from tests.hiring.factories import (
    CandidateEmailFactory,
    CandidateFactory,
    CompetencyFactory,
    OpeningFactory,
    RoleBarFactory,
    RoleProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _application_row() -> None:
    """One application with everything a row can show: its own candidate (with an email),
    opening (with a manager), role profile, bar version and a stage move by a recruiter."""
    profile = RoleBarFactory().role_profile
    opening = OpeningFactory(role_profile=profile, hiring_manager=UserFactory())
    candidate = CandidateFactory()
    CandidateEmailFactory(candidate=candidate)
    application = services.application_create(
        candidate=candidate, opening=opening, by=UserFactory()
    )
    services.application_transition(application=application, to_stage=Stage.SCREEN)


def _role_profile_row() -> None:
    bar = RoleBarFactory()
    services.role_profile_publish_bars(role_profile=bar.role_profile, by=UserFactory())
    OpeningFactory(role_profile=bar.role_profile)


def _bar_version_row() -> None:
    _role_profile_row()


def _competency_row() -> None:
    RoleBarFactory(competency=CompetencyFactory(), role_profile=RoleProfileFactory())


# changelist -> (make one more row, exact query count). The pins are what the page needs today
# (session, user, counts, rows, filter choices, date hierarchy); change them only knowingly.
CHANGELISTS: dict[str, tuple[Callable[[], None], int]] = {
    "competency": (_competency_row, 5),
    "roleprofile": (_role_profile_row, 5),
    "barversion": (_bar_version_row, 8),
    "opening": (_application_row, 9),
    "candidate": (_application_row, 8),
    "application": (_application_row, 9),
    "stagechange": (_application_row, 7),
}


def _queries(client: Any, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.context["cl"].result_count


@pytest.mark.parametrize("model_name", list(CHANGELISTS))
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, django_assert_num_queries, model_name
):
    make_row, pinned = CHANGELISTS[model_name]
    url = reverse(f"admin:hiring_{model_name}_changelist")

    # given one row (beyond the seeded content)
    make_row()
    admin_client.get(url)  # warm caches (content types, session) shared by both measurements
    with_one, rows_one = _queries(admin_client, url)

    # when there are twenty
    for _ in range(19):
        make_row()
    with django_assert_num_queries(pinned):
        with_twenty, rows_twenty = _queries(admin_client, url)

    # then the page costs the same
    assert rows_twenty > rows_one
    assert with_twenty == with_one


@pytest.mark.parametrize("query", [{"q": "example"}, {"stage__exact": "screen"}])
def test_filtered_application_changelist_query_count_is_constant(admin_client, query):
    url = reverse("admin:hiring_application_changelist")
    _application_row()
    admin_client.get(url, query)
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url, query)
    for _ in range(19):
        _application_row()
    with CaptureQueriesContext(connection) as twenty:
        response = admin_client.get(url, query)
    assert response.context["cl"].result_count == 20
    assert len(twenty.captured_queries) == len(one.captured_queries)


# --- change pages: inlines must not query per row ----------------------------------------------


def _change_page_queries(client: Any, model_name: str, pk: int) -> int:
    url = reverse(f"admin:hiring_{model_name}_change", args=[pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_candidate_change_page_query_count_does_not_grow_with_emails_and_applications(
    admin_client,
):
    candidate = CandidateFactory()
    CandidateEmailFactory(candidate=candidate)
    services.application_create(candidate=candidate, opening=OpeningFactory())
    with_one = _change_page_queries(admin_client, "candidate", candidate.pk)

    for _ in range(5):
        CandidateEmailFactory(candidate=candidate, is_primary=False)
        services.application_create(candidate=candidate, opening=OpeningFactory())

    assert _change_page_queries(admin_client, "candidate", candidate.pk) == with_one


def test_role_profile_change_page_query_count_does_not_grow_with_bars_and_versions(admin_client):
    profile = RoleBarFactory().role_profile
    services.role_profile_publish_bars(role_profile=profile)
    with_one = _change_page_queries(admin_client, "roleprofile", profile.pk)

    for minimum in (2, 3, 4):
        RoleBarFactory(role_profile=profile, minimum_level=minimum)
        services.role_profile_publish_bars(role_profile=profile)

    assert profile.bar_versions.count() == 4
    assert _change_page_queries(admin_client, "roleprofile", profile.pk) == with_one


def test_application_change_page_query_count_does_not_grow_with_history(admin_client):
    application = services.application_create(
        candidate=CandidateFactory(), opening=OpeningFactory()
    )
    with_one = _change_page_queries(admin_client, "application", application.pk)

    for stage in (Stage.CONTACTED, Stage.SCREEN, Stage.TAKE_HOME, Stage.ONSITE):
        services.application_transition(application=application, to_stage=stage, by=UserFactory())

    assert _change_page_queries(admin_client, "application", application.pk) == with_one
