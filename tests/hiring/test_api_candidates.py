"""Candidates through HTTP with real token authentication: listing, filtering, search, stable
cursor pages, creation, upsert by external id, updates, scoping and query counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from hiring import roles
from hiring.models import Application, Candidate, CandidateEmail
from hiring.selectors import candidates_visible_to
from hiring.serializers import CandidateOutput
from hiring.services import application_create
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateEmailFactory,
    CandidateFactory,
    OpeningFactory,
    RoleProfileFactory,
    TokenFactory,
    UserFactory,
    integration,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/"


def api(user: object) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


def hiring_manager() -> object:
    roles.ensure_default_groups()
    return UserFactory(groups=[roles.HIRING_MANAGERS])


def ids(response: object) -> list[int]:
    return [row["id"] for row in response.json()["results"]]  # type: ignore[attr-defined]


# --- listing and pagination ---------------------------------------------------------------------


def test_pages_do_not_shift_when_candidates_are_added_while_the_ats_walks_them():
    # given five candidates and an ATS reading two per page
    first = [CandidateFactory() for _ in range(5)]
    client = api(integration())
    page1 = client.get(URL, {"page_size": 2})

    # when a new candidate arrives between two page reads
    newcomer = CandidateFactory()
    page2 = client.get(page1.json()["next"])
    page3 = client.get(page2.json()["next"])

    # then every row is seen exactly once, in id order, and the newcomer comes last
    assert ids(page1) == [first[0].pk, first[1].pk]
    assert ids(page2) == [first[2].pk, first[3].pk]
    assert ids(page3) == [first[4].pk, newcomer.pk]
    assert page3.json()["next"] is None
    assert "count" not in page1.json()


def test_page_size_defaults_to_50_and_is_capped_at_200():
    # given 201 candidates
    Candidate.objects.bulk_create(Candidate(full_name=f"Person {i}") for i in range(201))
    client = api(integration())

    # when the ATS asks with no page size, then for more than the cap
    default = client.get(URL)
    capped = client.get(URL, {"page_size": 1000})

    # then
    assert len(default.json()["results"]) == 50
    assert len(capped.json()["results"]) == 200
    assert capped.json()["next"] is not None


def test_list_shows_identifiers_and_emails_primary_first():
    # given
    candidate = CandidateFactory(full_name="Ada Lovelace", github_login="ada", external_id="A-1")
    CandidateEmailFactory(candidate=candidate, email="second@example.org", is_primary=False)
    CandidateEmailFactory(candidate=candidate, email="first@example.org", is_primary=True)

    # when
    response = api(integration()).get(URL)

    # then
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["full_name"] == "Ada Lovelace"
    assert row["github_login"] == "ada"
    assert row["external_id"] == "A-1"
    assert row["emails"] == ["first@example.org", "second@example.org"]


@pytest.mark.parametrize("page_size", [5, 200])
def test_list_runs_one_query_whatever_the_page_size(django_assert_num_queries, page_size):
    # given candidates with several emails and applications each
    opening = OpeningFactory()
    for _ in range(12):
        candidate = CandidateFactory()
        CandidateEmailFactory(candidate=candidate)
        CandidateEmailFactory(candidate=candidate, is_primary=False)
        ApplicationFactory(candidate=candidate, opening=opening)
    client = api(integration())
    client.get(URL)  # a token's first request also reads its credentials (test_api_credentials)

    # when / then: the page, with its addresses on PostgreSQL (SQLite reads them separately)
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        response = client.get(URL, {"page_size": page_size, "source": "manual", "stage": "sourced"})
    assert len(response.json()["results"]) == min(12, page_size)


# --- filters and search -------------------------------------------------------------------------


def test_filters_on_the_candidate_fields():
    # given
    arxiv = CandidateFactory(source="arxiv", notice_state="pending", github_login="octo")
    manual = CandidateFactory(source="manual", consent_state="given")
    client = api(integration())

    # when / then
    assert ids(client.get(URL, {"source": "arxiv"})) == [arxiv.pk]
    assert ids(client.get(URL, {"notice_state": "pending"})) == [arxiv.pk]
    assert ids(client.get(URL, {"consent_state": "given"})) == [manual.pk]
    assert ids(client.get(URL, {"has_github": "true"})) == [arxiv.pk]
    assert arxiv.pk not in ids(client.get(URL, {"has_github": "false"}))


def test_updated_after_and_created_after_include_the_boundary():
    # given one old and one recent candidate
    old = CandidateFactory()
    recent = CandidateFactory()
    long_ago = timezone.now() - dt.timedelta(days=30)
    Candidate.objects.filter(pk=old.pk).update(created_at=long_ago, updated_at=long_ago)
    recent.refresh_from_db()
    client = api(integration())

    # when / then
    since = recent.updated_at.isoformat()
    assert ids(client.get(URL, {"updated_after": since})) == [recent.pk]
    assert ids(client.get(URL, {"created_after": recent.created_at.isoformat()})) == [recent.pk]
    everything = (long_ago - dt.timedelta(seconds=1)).isoformat()
    assert ids(client.get(URL, {"updated_after": everything})) == [old.pk, recent.pk]


def test_application_filters_must_hold_for_the_same_application():
    # given Ada in screen for opening A (role r1) and sourced for opening B (role r2)
    opening_a = OpeningFactory(role_profile=RoleProfileFactory(slug="r1"))
    opening_b = OpeningFactory(role_profile=RoleProfileFactory(slug="r2"))
    ada = CandidateFactory()
    ApplicationFactory(candidate=ada, opening=opening_a, stage="screen")
    ApplicationFactory(candidate=ada, opening=opening_b, stage="sourced")
    bob = CandidateFactory()
    ApplicationFactory(candidate=bob, opening=opening_b, stage="screen")
    CandidateFactory()  # no application at all
    client = api(integration())

    # when / then
    assert ids(client.get(URL, {"role": "r1"})) == [ada.pk]
    assert ids(client.get(URL, {"opening": opening_b.pk})) == [ada.pk, bob.pk]
    assert ids(client.get(URL, {"stage": "screen"})) == [ada.pk, bob.pk]
    assert ids(client.get(URL, {"stage": "screen", "role": "r2"})) == [bob.pk]
    assert ids(client.get(URL, {"stage": "sourced", "opening": opening_a.pk})) == []


def test_search_matches_name_email_github_login_and_external_id():
    # given
    ada = CandidateFactory(full_name="Ada Lovelace")
    grace = CandidateFactory(full_name="Grace Hopper", github_login="AmazingGrace")
    alan = CandidateFactory(full_name="Alan Turing", external_id="ATS-4242")
    edsger = CandidateFactory(full_name="E. W. Dijkstra")
    CandidateEmailFactory(candidate=edsger, email="ewd@utexas.example")
    client = api(integration())

    # when / then
    assert ids(client.get(URL, {"search": "lovelace"})) == [ada.pk]
    assert ids(client.get(URL, {"search": "amazinggrace"})) == [grace.pk]
    assert ids(client.get(URL, {"search": "ats-4242"})) == [alan.pk]
    assert ids(client.get(URL, {"search": "utexas"})) == [edsger.pk]
    assert ids(client.get(URL, {"search": "nobody"})) == []


# --- writes -------------------------------------------------------------------------------------


def test_create_with_emails_records_who_created_it():
    # given
    user = integration()

    # when
    response = api(user).post(
        URL,
        {
            "full_name": "Ada Lovelace",
            "emails": ["ada@example.org", "ada@work.example"],
            "github_login": "ada",
            "source": "ats",
            "arxiv_name_forms": ["Lovelace, Ada"],
        },
        format="json",
    )

    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["emails"] == ["ada@example.org", "ada@work.example"]
    candidate = Candidate.objects.get(pk=body["id"])
    assert candidate.created_by == user
    assert candidate.updated_by == user
    assert candidate.source == "ats"
    assert candidate.arxiv_name_forms == ["Lovelace, Ada"]
    assert CandidateEmail.objects.get(email="ada@example.org").is_primary


def test_upsert_by_external_id_creates_then_updates_and_repeats_harmlessly():
    # given an ATS record
    user = integration()
    client = api(user)
    url = f"{URL}by-external-id/ATS-77/"
    body = {"full_name": "Grace Hopper", "emails": ["grace@example.org"], "source": "ats"}

    # when it is sent once, then twice
    created = client.put(url, body, format="json")
    repeated = client.put(url, body, format="json")

    # then one candidate exists, in the same state after both calls
    assert created.status_code == 201, created.json()
    assert repeated.status_code == 200, repeated.json()
    assert Candidate.objects.count() == 1
    assert CandidateEmail.objects.count() == 1
    same = {"id", "full_name", "emails", "external_id", "source", "applications"}
    assert {k: created.json()[k] for k in same} == {k: repeated.json()[k] for k in same}
    assert created.json()["external_id"] == "ATS-77"
    assert Candidate.objects.get().updated_by == user


def test_upsert_changes_only_the_fields_sent_and_can_be_read_back_by_external_id():
    # given a candidate the ATS created earlier, later enriched by sourcing
    client = api(integration())
    url = f"{URL}by-external-id/ATS-1/"
    client.put(url, {"full_name": "Alan Turing"}, format="json")
    Candidate.objects.filter(external_id="ATS-1").update(source_evidence="arXiv 1234")

    # when the ATS sends a new name
    response = client.put(url, {"full_name": "Alan M. Turing"}, format="json")

    # then the name changes and the evidence stays
    assert response.status_code == 200
    assert client.get(url).json()["full_name"] == "Alan M. Turing"
    assert Candidate.objects.get(external_id="ATS-1").source_evidence == "arXiv 1234"


def test_patch_updates_given_fields_and_records_the_actor():
    # given
    candidate = CandidateFactory(full_name="Ada", notice_state="pending")
    CandidateEmailFactory(candidate=candidate, email="old@example.org")
    user = integration()

    # when
    response = api(user).patch(
        f"{URL}{candidate.pk}/",
        {"notice_state": "sent", "emails": ["new@example.org"]},
        format="json",
    )

    # then
    assert response.status_code == 200, response.json()
    candidate.refresh_from_db()
    assert candidate.notice_state == "sent"
    assert candidate.full_name == "Ada"
    assert candidate.updated_by == user
    assert response.json()["emails"] == ["new@example.org"]


def test_detail_lists_the_candidates_applications():
    # given
    application = application_create(candidate=CandidateFactory(), opening=OpeningFactory())

    # when
    response = api(integration()).get(f"{URL}{application.candidate_id}/")

    # then
    assert response.status_code == 200
    [summary] = response.json()["applications"]
    assert summary["id"] == application.pk
    assert summary["stage"] == "sourced"


# --- scoping ------------------------------------------------------------------------------------


def test_hiring_manager_sees_only_candidates_of_their_openings():
    # given a manager's opening and someone else's
    manager = hiring_manager()
    mine = ApplicationFactory(opening=OpeningFactory(hiring_manager=manager))
    theirs = ApplicationFactory(opening=OpeningFactory(hiring_manager=UserFactory()))
    client = api(manager)

    # when / then
    assert ids(client.get(URL)) == [mine.candidate_id]
    assert client.get(f"{URL}{mine.candidate_id}/").status_code == 200
    assert client.get(f"{URL}{theirs.candidate_id}/").status_code == 404


def test_hiring_manager_filters_see_only_their_own_applications():
    # given a candidate in screen elsewhere but only sourced in the manager's opening
    manager = hiring_manager()
    candidate = CandidateFactory(external_id="X-1")
    ApplicationFactory(candidate=candidate, opening=OpeningFactory(hiring_manager=manager))
    other = ApplicationFactory(candidate=candidate, stage="screen")
    client = api(manager)

    # when / then the other opening's stage does not leak through filters or the detail
    assert ids(client.get(URL, {"stage": "screen"})) == []
    assert ids(client.get(URL, {"stage": "sourced"})) == [candidate.pk]
    detail = client.get(f"{URL}by-external-id/X-1/").json()
    assert [a["stage"] for a in detail["applications"]] == ["sourced"]
    assert other.pk not in [a["id"] for a in detail["applications"]]


def test_hiring_manager_cannot_write_candidates():
    # given
    manager = hiring_manager()
    application = ApplicationFactory(opening=OpeningFactory(hiring_manager=manager))
    client = api(manager)
    before = (Candidate.objects.count(), Application.objects.count())

    # when
    created = client.post(URL, {"full_name": "New"}, format="json")
    patched = client.patch(f"{URL}{application.candidate_id}/", {"full_name": "X"}, format="json")
    upserted = client.put(f"{URL}by-external-id/E-1/", {"full_name": "New"}, format="json")

    # then
    assert [created.status_code, patched.status_code, upserted.status_code] == [403, 403, 403]
    assert (Candidate.objects.count(), Application.objects.count()) == before
    application.candidate.refresh_from_db()
    assert application.candidate.full_name != "X"


def test_upsert_needs_both_add_and_change_permissions():
    # given an account that may change candidates but not add them
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="change_candidate"))
    CandidateFactory(external_id="E-9")

    # when it upserts an existing record
    response = api(user).put(f"{URL}by-external-id/E-9/", {"full_name": "N"}, format="json")

    # then the answer does not depend on whether the row happened to exist
    assert response.status_code == 403


def test_upsert_that_loses_a_creation_race_becomes_an_update(monkeypatch):
    # given a concurrent retry that creates the row between our look-up and our insert
    from hiring.services import candidates as candidate_services

    real_create = candidate_services.candidate_create

    def create_after_a_competitor(**kwargs: object) -> Candidate:
        first = candidate_services.CandidateInput({"full_name": "First", "external_id": "R-1"})
        real_create(data=first)
        return real_create(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(candidate_services, "candidate_create", create_after_a_competitor)

    # when
    response = api(integration()).put(
        f"{URL}by-external-id/R-1/", {"full_name": "Second"}, format="json"
    )

    # then the retry updates the row the competitor created, instead of failing
    assert response.status_code == 200, response.json()
    assert Candidate.objects.get().full_name == "Second"


def test_list_rows_render_exactly_like_the_candidate_serializer():
    # given a candidate with two addresses, the second one primary
    user = integration()
    candidate = CandidateFactory(
        github_login="octo", external_id="ats-77", homepage="https://o.org"
    )
    CandidateEmailFactory(candidate=candidate, email="b@example.org", is_primary=False)
    CandidateEmailFactory(candidate=candidate, email="a@example.org", is_primary=True)

    # when the list renders it from plain rows
    listed = api(user).get(URL).json()["results"]

    # then it is the serializer's output, primary address first
    expected = CandidateOutput(candidates_visible_to(user=user).get(pk=candidate.pk)).data
    assert listed == [json.loads(json.dumps(expected))]
    assert listed[0]["emails"] == ["a@example.org", "b@example.org"]


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 3, 1, 9, 30, 0, tzinfo=dt.UTC),  # no fraction: DRF writes none
        dt.datetime(2026, 3, 1, 9, 30, 0, 120, tzinfo=dt.UTC),  # leading zeros kept
        dt.datetime(999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),  # a three-digit year
        dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),  # not UTC
    ],
)
def test_list_renders_times_exactly_like_the_candidate_serializer(moment):
    # given a candidate changed at that moment (PostgreSQL renders list times itself)
    user = integration()
    candidate = CandidateFactory()
    Candidate.objects.filter(pk=candidate.pk).update(created_at=moment, updated_at=moment)

    # when
    [listed] = api(user).get(URL).json()["results"]

    # then
    expected = CandidateOutput(candidates_visible_to(user=user).get(pk=candidate.pk)).data
    assert (listed["created_at"], listed["updated_at"]) == (
        expected["created_at"],
        expected["updated_at"],
    )


@pytest.mark.parametrize("accept", ["application/json", "application/json; indent=2"])
def test_list_bytes_are_drfs_json_rendering(accept):
    # given names that JSON encoders write differently if they are not careful
    for name in ["Łukasz Kaiser", "Line\u2028Separator", 'Quote " and \\ back', "Tab\there"]:
        CandidateEmailFactory(
            candidate=CandidateFactory(full_name=name), email=f"{len(name)}@x.org"
        )
    client = api(integration())

    # when
    response = client.get(URL, HTTP_ACCEPT=accept)

    # then the bytes are exactly what DRF's own renderer writes for the same data
    assert response.status_code == 200
    expected = JSONRenderer().render(response.json(), accept, {})
    assert response.content == expected
    assert b"\\u2028" in response.content


def test_list_errors_are_drfs_json_rendering():
    # given an invalid body whose errors are keyed by list position
    client = api(integration())

    # when
    response = client.post(URL, {"full_name": "Ada", "emails": ["ok@x.org", "nope"]})

    # then
    assert response.status_code == 400
    assert response.json() == {"emails": {"1": ["Enter a valid email address."]}}
    assert response.content == JSONRenderer().render(response.json())
