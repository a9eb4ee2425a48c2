"""An ATS plans an opening through the API: opened, target fill and closed dates, which the
time-to-fill forecast reads; dates out of order are a 400 and change nothing."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from core.events.models import Event
from tests.hiring.factories import OpeningFactory, recruiter

pytestmark = pytest.mark.django_db


def test_planning_dates_are_read_and_written_through_the_api():
    opening = OpeningFactory()
    client = APIClient()
    client.force_authenticate(recruiter())

    saved = client.patch(
        f"/api/v1/openings/{opening.pk}/",
        {"opened_on": "2026-11-02", "target_fill_date": "2027-02-01"},
        format="json",
    )
    backwards = client.patch(
        f"/api/v1/openings/{opening.pk}/", {"closed_on": "2026-10-01"}, format="json"
    )

    assert saved.status_code == 200, saved.content
    assert (saved.json()["opened_on"], saved.json()["target_fill_date"]) == (
        "2026-11-02",
        "2027-02-01",
    )
    assert backwards.status_code == 400
    opening.refresh_from_db()
    assert opening.closed_on is None
    event = Event.objects.get(type="opening.updated")
    assert event.changes["target_fill_date"] == [None, "2027-02-01"]


def test_a_recruiter_sets_the_dates_on_the_opening_page(admin_client):
    from django.urls import reverse

    opening = OpeningFactory()
    url = reverse("admin:hiring_opening_change", args=[opening.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        role_profile=opening.role_profile_id, opened_on="2026-11-02", target_fill_date="2027-01-15"
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302
    opening.refresh_from_db()
    assert str(opening.target_fill_date) == "2027-01-15"
