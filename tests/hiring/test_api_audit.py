"""The audit trail over the API (``GET /api/v1/audit-events/``): filters, cursor pages, the
requester's scope, and ``On-Behalf-Of`` recorded beside the integration that acted."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.events.models import Event
from hiring import roles
from tests.hiring.factories import (
    CandidateFactory,
    OpeningFactory,
    TokenFactory,
    UserFactory,
    integration,
    recruiter,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/audit-events/"


def _api(user: object, **headers: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}", **headers)
    return client


def _apply(client: APIClient, opening_id: int) -> int:
    response = client.post(
        "/api/v1/applications/",
        {"candidate": CandidateFactory().pk, "opening": opening_id},
        format="json",
    )
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def test_a_hiring_manager_reads_the_events_of_their_own_openings_only():
    # given two openings, one managed by our hiring manager, with an application each
    roles.ensure_default_groups()
    manager = UserFactory(groups=[roles.HIRING_MANAGERS])
    mine, theirs = OpeningFactory(hiring_manager=manager), OpeningFactory()
    writer = _api(recruiter())
    my_application = _apply(writer, mine.pk)
    _apply(writer, theirs.pk)

    # when each reads the trail
    as_manager = _api(manager).get(URL, {"object_type": "application"}).json()["results"]
    as_recruiter = _api(recruiter()).get(URL, {"object_type": "application"}).json()["results"]

    # then the manager sees their opening's application only; a recruiter sees both
    assert [e["object_id"] for e in as_manager] == [str(my_application)]
    assert len(as_recruiter) == 2


def test_filters_narrow_and_bad_values_are_400s_naming_the_field():
    client = _api(recruiter())
    opening = OpeningFactory()
    application_id = _apply(client, opening.pk)
    client.post(
        f"/api/v1/applications/{application_id}/transitions/", {"to_stage": "screen"}, format="json"
    )

    moved = client.get(URL, {"type": "application.stage_changed"}).json()["results"]
    assert [(e["type"], e["sequence"], e["changes"]) for e in moved] == [
        ("application.stage_changed", 2, {"stage": ["sourced", "screen"]})
    ]
    assert moved[0]["object"]["stage"] == "screen"
    for params, field in [
        ({"actor": "abc"}, "actor"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"channel": "fax"}, "channel"),
    ]:
        response = client.get(URL, params)
        assert response.status_code == 400, params
        assert field in response.json()


def test_an_integration_acting_for_a_person_records_both():
    ats = integration(username="greenhouse")
    person = recruiter(username="rita")
    client = _api(ats, HTTP_ON_BEHALF_OF=str(person.pk))

    response = client.post("/api/v1/candidates/", {"full_name": "Alan Turing"}, format="json")

    assert response.status_code == 201, response.content
    event = Event.objects.get(type="candidate.created")
    assert (event.actor, event.on_behalf_of) == (ats, person)
    assert event.actor_label == "greenhouse for rita"
    listed = client.get(URL).json()["results"][0]
    assert (listed["actor"], listed["on_behalf_of"]) == ("greenhouse", "rita")


@pytest.mark.parametrize("value", ["999999", "abc", "", "1" * 40])
def test_on_behalf_of_naming_no_active_user_is_a_400_and_writes_nothing(value):
    inactive = UserFactory(is_active=False)
    client = _api(integration(), HTTP_ON_BEHALF_OF=value or str(inactive.pk))

    response = client.post("/api/v1/candidates/", {"full_name": "Nobody"}, format="json")

    assert response.status_code == 400
    assert "On-Behalf-Of" in response.json()
    assert not Event.objects.exists()


def test_the_admin_shows_the_trail_read_only(admin_client):
    client = _api(recruiter())
    _apply(client, OpeningFactory().pk)
    event = Event.objects.filter(type="application.created").get()

    listing = admin_client.get(reverse("admin:core_event_changelist"))
    page = admin_client.get(reverse("admin:core_event_change", args=[event.pk]))

    assert listing.status_code == 200
    assert "application.created" in listing.content.decode()
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
