"""Every write records a domain event in its own transaction (``core.events``): who acted,
through which channel and request, what changed from what to what, and nothing for a write that
was refused or changed nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.events.models import Event
from hiring.models import Application, Candidate, Opening
from tests.hiring.factories import (
    CandidateFactory,
    OpeningFactory,
    TokenFactory,
    integration,
    recruiter,
)

pytestmark = pytest.mark.django_db


def _api(user: object) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


def test_an_api_create_records_who_through_which_channel_and_request():
    # given an ATS integration's token
    ats = integration(username="ats-bot")
    client = _api(ats)

    # when it creates a candidate, quoting its own request id
    response = client.post(
        "/api/v1/candidates/",
        {"full_name": "Ada Lovelace", "emails": ["ada@example.org"]},
        format="json",
        HTTP_X_REQUEST_ID="ats-42",
    )

    # then one event says so, with the values it was created with
    assert response.status_code == 201, response.content
    assert response["X-Request-ID"] == "ats-42"
    event = Event.objects.get()
    assert (event.type, event.object_type, event.object_id) == (
        "candidate.created",
        "candidate",
        str(response.json()["id"]),
    )
    assert (event.sequence, event.channel, event.request_id) == (1, "api", "ats-42")
    assert event.actor == ats
    assert event.actor_label == "ats-bot"
    assert event.changes["full_name"] == [None, "Ada Lovelace"]
    assert event.changes["emails"] == [None, ["ada@example.org"]]
    assert event.data["full_name"] == "Ada Lovelace"


def test_a_refused_write_records_nothing():
    CandidateFactory(external_id="E-1")
    client = _api(integration())

    response = client.post(
        "/api/v1/candidates/", {"full_name": "Twin", "external_id": "E-1"}, format="json"
    )

    assert response.status_code == 400
    assert not Event.objects.exists()


def test_an_identical_upsert_changes_nothing_and_records_nothing():
    # given a candidate the ATS synced once
    client = _api(integration())
    body = {"full_name": "Grace Hopper", "emails": ["grace@example.org"]}
    assert client.put(
        "/api/v1/candidates/by-external-id/G-1/", body, format="json"
    ).status_code in (
        200,
        201,
    )
    candidate = Candidate.objects.get(external_id="G-1")
    stamp = candidate.updated_at

    # when it syncs the same body again, then a changed one
    again = client.put("/api/v1/candidates/by-external-id/G-1/", body, format="json")
    renamed = client.put(
        "/api/v1/candidates/by-external-id/G-1/",
        {**body, "full_name": "Grace B. Hopper"},
        format="json",
    )

    # then the repeat left the row and the trail alone; the change is one event, sequence 2
    assert again.status_code == 200
    assert renamed.status_code == 200
    candidate.refresh_from_db()
    assert candidate.updated_at > stamp
    events = list(Event.objects.filter(object_id=str(candidate.pk)).order_by("sequence"))
    assert [(e.type, e.sequence) for e in events] == [
        ("candidate.created", 1),
        ("candidate.updated", 2),
    ]
    assert events[1].changes == {"full_name": ["Grace Hopper", "Grace B. Hopper"]}


def test_a_stage_move_records_from_and_to_and_the_opening_it_concerns():
    opening = OpeningFactory()
    client = _api(recruiter())
    created = client.post(
        "/api/v1/applications/",
        {"candidate": CandidateFactory().pk, "opening": opening.pk},
        format="json",
    )
    application_id = created.json()["id"]

    moved = client.post(
        f"/api/v1/applications/{application_id}/transitions/",
        {"to_stage": "screen"},
        format="json",
    )

    assert moved.status_code == 200, moved.content
    event = Event.objects.get(type="application.stage_changed")
    assert event.changes == {"stage": ["sourced", "screen"]}
    assert event.sequence == 2  # after application.created
    assert list(event.scopes.values_list("opening_id", flat=True)) == [opening.pk]
    assert Application.objects.get(pk=application_id).stage == "screen"


def test_an_admin_edit_records_the_admin_channel_and_the_changed_fields_only(admin_client):
    opening = OpeningFactory(title="ML Engineer", team="Search")
    url = reverse("admin:hiring_opening_change", args=[opening.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(title="Senior ML Engineer", role_profile=opening.role_profile_id)

    response = admin_client.post(url, data)

    assert response.status_code == 302
    event = Event.objects.get(type="opening.updated")
    assert event.channel == "admin"
    assert event.changes == {"title": ["ML Engineer", "Senior ML Engineer"]}
    assert Opening.objects.get(pk=opening.pk).title == "Senior ML Engineer"


def test_addresses_written_outside_the_update_service_are_recorded_once_changed():
    from django.db import transaction

    from hiring import services

    candidate = CandidateFactory()
    before = services.candidate_email_list(candidate=candidate)
    with transaction.atomic():
        services.candidate_emails_changed(candidate=candidate, before=before)
    assert not Event.objects.filter(type="candidate.updated").exists()

    candidate.emails.create(email="new@example.org", is_primary=True)
    with transaction.atomic():
        services.candidate_emails_changed(candidate=candidate, before=before)

    event = Event.objects.get(type="candidate.updated")
    assert event.changes == {"emails": [before, [*before, "new@example.org"]]}
