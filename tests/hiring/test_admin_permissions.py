"""The admin as the built-in groups see it (not only as a superuser): recruiters run the pipeline,
history and frozen bar versions stay read-only for everyone, other staff see nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hiring import roles, services
from hiring.models import Stage
from tests.hiring.factories import CandidateFactory, OpeningFactory, UserFactory, recruiter

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter_client() -> Client:
    client = Client()
    client.force_login(recruiter(is_staff=True))
    return client


@pytest.fixture
def application():  # type: ignore[no-untyped-def]
    return services.application_create(candidate=CandidateFactory(), opening=OpeningFactory())


def test_recruiter_moves_applications_from_the_changelist(recruiter_client, application):
    response = recruiter_client.post(
        reverse("admin:hiring_application_changelist"),
        {
            "action": "move_to_stage",
            "_selected_action": [application.pk],
            "index": 0,
            "to_stage": "contacted",
        },
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.CONTACTED


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("admin:hiring_candidate_add", 200),
        ("admin:hiring_application_add", 200),
        ("admin:hiring_roleprofile_changelist", 200),
        ("admin:hiring_barversion_changelist", 200),
        ("admin:hiring_barversion_add", 403),
        ("admin:hiring_stagechange_add", 403),
    ],
)
def test_recruiter_pages(recruiter_client, url_name, expected):
    assert recruiter_client.get(reverse(url_name)).status_code == expected


def test_stage_history_cannot_be_deleted_even_with_the_model_permission(
    recruiter_client, application
):
    change = application.history.get()
    url = reverse("admin:hiring_stagechange_delete", args=[change.pk])

    assert recruiter_client.post(url, {"post": "yes"}).status_code == 403
    assert application.history.count() == 1


def test_staff_without_hiring_permissions_sees_no_hiring_admin(application):
    roles.ensure_default_groups()
    client = Client()
    client.force_login(UserFactory(is_staff=True, groups=[roles.HIRING_MANAGERS]))

    assert client.get(reverse("admin:hiring_application_changelist")).status_code == 403
    assert client.get(reverse("admin:hiring_candidate_changelist")).status_code == 403
