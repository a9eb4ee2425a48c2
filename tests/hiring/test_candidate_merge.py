"""Merging a duplicate candidate (``hiring.services.candidate_merge``, the API and the admin):
everything moves to the record that stays, the duplicate points at it and leaves the lists, the
arXiv identity and GitHub accounts follow, and ``candidate.merged`` is recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from core.events.models import Event
from hiring.models import Application, Candidate, CandidateEmail
from hiring.services import CandidateInput, application_create, candidate_create, candidate_merge
from sourcing.github.models import GitHubAccount
from tests.hiring.factories import OpeningFactory, recruiter
from tests.sourcing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _candidate(name: str, emails: list[str], **fields: object) -> Candidate:
    return candidate_create(data=CandidateInput({"full_name": name, **fields}, emails))


def test_everything_moves_to_the_survivor_and_the_duplicate_points_at_it():
    # given one person twice: from the ATS, and from arXiv with a GitHub account
    ats = _candidate("Ada Lovelace", ["ada@example.org"], external_id="ATS-7")
    arxiv = _candidate("A. Lovelace", ["ada@lab.example"], github_login="adal", source="arxiv")
    application = application_create(candidate=arxiv, opening=OpeningFactory())
    person = PersonFactory(candidate=arxiv)
    account = GitHubAccount.objects.create(login="adal", candidate=arxiv)

    # when the arXiv record is merged into the ATS one
    survivor = candidate_merge(target=ats, source=arxiv)

    # then the survivor holds the application, the new address and the missing identifier
    assert survivor.pk == ats.pk
    application.refresh_from_db()
    assert application.candidate_id == ats.pk
    addresses = list(ats.emails.order_by("id").values_list("email", "is_primary"))
    assert addresses == [("ada@example.org", True), ("ada@lab.example", False)]
    ats.refresh_from_db()
    assert (ats.github_login, ats.external_id) == ("adal", "ATS-7")
    # the duplicate is a tombstone pointing at it, holding nothing unique any more
    arxiv.refresh_from_db()
    assert (arxiv.merged_into_id, arxiv.github_login) == (ats.pk, None)
    assert not CandidateEmail.objects.filter(candidate=arxiv).exists()
    # sourcing's links followed
    person.refresh_from_db()
    account.refresh_from_db()
    assert (person.candidate_id, account.candidate_id) == (ats.pk, ats.pk)
    event = Event.objects.get(type="candidate.merged")
    assert (event.object_id, event.changes["merged_into"]) == (str(arxiv.pk), [None, ats.pk])


def test_a_merge_that_would_clash_is_refused_and_writes_nothing():
    opening = OpeningFactory()
    first, second = _candidate("B One", []), _candidate("B Two", [])
    application_create(candidate=first, opening=opening)
    application_create(candidate=second, opening=opening)

    with pytest.raises(ValidationError, match="Both applied to"):
        candidate_merge(target=first, source=second)
    with pytest.raises(ValidationError, match="into itself"):
        candidate_merge(target=first, source=first)

    second.refresh_from_db()
    assert second.merged_into_id is None
    assert Application.objects.filter(candidate=second).count() == 1
    assert not Event.objects.filter(type="candidate.merged").exists()


def test_the_api_merges_and_the_list_no_longer_shows_the_duplicate():
    client = APIClient()
    client.force_authenticate(recruiter())
    keep, dup = _candidate("C Keep", []), _candidate("C Dup", ["c@example.org"])

    response = client.post(f"/api/v1/candidates/{dup.pk}/merge/", {"into": keep.pk}, format="json")
    again = client.post(f"/api/v1/candidates/{dup.pk}/merge/", {"into": keep.pk}, format="json")
    unknown = client.post(f"/api/v1/candidates/{keep.pk}/merge/", {"into": 999999}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["id"] == keep.pk
    assert response.json()["emails"] == ["c@example.org"]
    assert again.status_code == 400
    assert "already merged" in str(again.json())
    assert unknown.status_code == 400
    assert "into" in unknown.json()
    listed = [c["id"] for c in client.get("/api/v1/candidates/").json()["results"]]
    assert dup.pk not in listed
    assert keep.pk in listed
    assert client.get(f"/api/v1/candidates/{dup.pk}/").json()["merged_into"] == keep.pk


def test_the_admin_merges_two_selected_into_the_older(admin_client):
    older, newer = _candidate("D Old", []), _candidate("D New", [])

    response = admin_client.post(
        reverse("admin:hiring_candidate_changelist"),
        {"action": "merge_duplicates", "_selected_action": [older.pk, newer.pk]},
        follow=True,
    )

    assert "Merged D New" in response.content.decode()
    newer.refresh_from_db()
    assert newer.merged_into_id == older.pk
