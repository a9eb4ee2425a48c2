"""Scorecards through the API: drafts, submission, immutability, amendments, and who sees what."""

from __future__ import annotations

import pytest

from interviews.models import Scorecard
from tests.interviews.factories import (
    InterviewFactory,
    application_for,
    hiring_manager,
    interviewer,
    recruiter,
    seeded_kit,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/scorecards/"


def full_ratings(kit, rating=3):
    return [
        {"competency": c.slug, "rating": rating, "evidence": f"Concrete evidence on {c.slug}."}
        for c in kit.focus_competencies.all()
    ]


@pytest.fixture
def panel():
    """One application, two interviews (screen by alice, design by bob), a hiring manager."""
    manager = hiring_manager()
    application = application_for(manager=manager)
    alice, bob = interviewer(username="alice"), interviewer(username="bob")
    screen = InterviewFactory(application=application, interviewers=[alice])
    design = InterviewFactory(
        application=application,
        kit=seeded_kit("ml-engineer", "applied-ml-design"),
        interviewers=[bob],
    )
    return {
        "app": application,
        "alice": alice,
        "bob": bob,
        "manager": manager,
        "screen": screen,
        "design": design,
    }


def submit_for(api, user, interview, **extra):
    body = {
        "interview": interview.pk,
        "ratings": full_ratings(interview.kit),
        "recommendation": "yes",
        "submit": True,
        **extra,
    }
    response = api.as_user(user).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_draft_then_submit(api, panel):
    # given a draft with one rating
    kit = panel["screen"].kit
    first = kit.focus_competencies.first()
    response = api.as_user(panel["alice"]).post(
        URL,
        {
            "interview": panel["screen"].pk,
            "ratings": [{"competency": first.slug, "rating": 2, "evidence": "Said X."}],
        },
        format="json",
    )
    assert response.status_code == 201
    draft = response.json()
    assert draft["status"] == "draft"

    # when submitting an incomplete draft
    response = api.post(f"{URL}{draft['id']}/submit/")
    # then every unanswered competency and the recommendation are named
    assert response.status_code == 400
    errors = response.json()
    assert "recommendation" in errors
    assert any(key.startswith("ratings.") for key in errors)

    # when completing it (one competency explicitly "no evidence") and submitting
    ratings = full_ratings(kit)
    ratings[-1] = {"competency": ratings[-1]["competency"], "rating": None, "evidence": ""}
    response = api.put(
        f"{URL}{draft['id']}/", {"ratings": ratings, "recommendation": "strong_yes"}, format="json"
    )
    assert response.status_code == 200
    response = api.post(f"{URL}{draft['id']}/submit/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted"
    assert body["submitted_at"]
    assert body["effective"]["ratings"][ratings[-1]["competency"]]["rating"] is None


@pytest.mark.parametrize("rating", [0, 5, -1])
def test_rating_out_of_range_is_a_field_error(api, panel, rating):
    slug = panel["screen"].kit.focus_competencies.first().slug
    response = api.as_user(panel["alice"]).post(
        URL,
        {
            "interview": panel["screen"].pk,
            "ratings": [{"competency": slug, "rating": rating, "evidence": "x"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert f"ratings.{slug}.rating" in response.json()
    assert not Scorecard.objects.exists()


def test_rating_without_evidence_is_refused(api, panel):
    slug = panel["screen"].kit.focus_competencies.first().slug
    response = api.as_user(panel["alice"]).post(
        URL,
        {
            "interview": panel["screen"].pk,
            "ratings": [{"competency": slug, "rating": 3, "evidence": "   "}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "evidence" in response.json()[f"ratings.{slug}.evidence"][0].lower()


def test_submitting_a_refused_draft_names_what_the_submission_lacks_too(api, panel):
    kit = panel["screen"].kit
    first, *others = kit.focus_competencies.all()
    response = api.as_user(panel["alice"]).post(
        URL,
        {
            "interview": panel["screen"].pk,
            "ratings": [{"competency": first.slug, "rating": 3, "evidence": ""}],
            "submit": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {
        f"ratings.{first.slug}.evidence",
        "recommendation",
        *(f"ratings.{c.slug}.rating" for c in others),
    }
    assert not Scorecard.objects.exists()


def test_rating_a_competency_outside_the_kit_is_refused(api, panel):
    response = api.as_user(panel["alice"]).post(
        URL,
        {
            "interview": panel["screen"].pk,
            "ratings": [{"competency": "analytics-sql", "rating": 3, "evidence": "x"}],
        },
        format="json",
    )
    assert response.status_code == 400


def test_second_submission_and_editing_a_submitted_scorecard_are_refused(api, panel):
    card = submit_for(api, panel["alice"], panel["screen"])
    assert api.post(f"{URL}{card['id']}/submit/").status_code == 400
    response = api.put(
        f"{URL}{card['id']}/",
        {"ratings": full_ratings(panel["screen"].kit, 1), "recommendation": "no"},
        format="json",
    )
    assert response.status_code == 400
    assert "amendment" in str(response.json()).lower()
    # posting a new draft for the same interview cannot overwrite it either
    response = api.post(
        URL, {"interview": panel["screen"].pk, "ratings": [], "recommendation": "no"}, format="json"
    )
    assert response.status_code == 400
    stored = Scorecard.objects.get(pk=card["id"])
    assert stored.recommendation == "yes"
    assert {r.rating for r in stored.ratings.all()} == {3}


def test_amendment_is_recorded_separately_and_applied_on_top(api, panel):
    card = submit_for(api, panel["alice"], panel["screen"])
    slug = card["ratings"][0]["competency"]
    response = api.post(
        f"{URL}{card['id']}/amendments/",
        {
            "reason": "Mis-clicked",
            "ratings": [{"competency": slug, "rating": 2, "evidence": "Corrected."}],
        },
        format="json",
    )
    assert response.status_code == 201
    amendment = response.json()
    assert amendment["author"] == "alice"
    assert amendment["changes"]["ratings"][slug] == {
        "before": {"rating": 3, "evidence": f"Concrete evidence on {slug}."},
        "after": {"rating": 2, "evidence": "Corrected."},
    }
    body = api.get(f"{URL}{card['id']}/").json()
    assert body["ratings"][0]["rating"] == 3  # the submitted record is untouched
    assert body["effective"]["ratings"][slug]["rating"] == 2
    # an amendment needs a reason, and only its author may amend
    assert (
        api.post(
            f"{URL}{card['id']}/amendments/", {"reason": "", "recommendation": "no"}, format="json"
        ).status_code
        == 400
    )
    submit_for(api, panel["bob"], panel["design"])
    response = api.as_user(panel["bob"]).post(
        f"{URL}{card['id']}/amendments/", {"reason": "x", "recommendation": "no"}, format="json"
    )
    assert response.status_code == 404


def test_other_interviewers_scorecard_is_404_until_you_submitted_your_own(api, panel):
    # given bob submitted and alice has only a draft
    bobs = submit_for(api, panel["bob"], panel["design"])
    api.as_user(panel["alice"]).post(
        URL, {"interview": panel["screen"].pk, "ratings": []}, format="json"
    )

    # then alice cannot see bob's scorecard, by id or in the list
    assert api.get(f"{URL}{bobs['id']}/").status_code == 404
    assert [c["interviewer"] for c in api.get(URL).json()["results"]] == ["alice"]

    # nor act on it through any other endpoint
    assert api.put(f"{URL}{bobs['id']}/", {"ratings": []}, format="json").status_code == 404
    assert api.post(f"{URL}{bobs['id']}/submit/").status_code == 404
    assert (
        api.post(f"{URL}{bobs['id']}/amendments/", {"reason": "x"}, format="json").status_code
        == 404
    )

    # and bob cannot see alice's draft even though he submitted
    alices = Scorecard.objects.get(interviewer=panel["alice"])
    assert api.as_user(panel["bob"]).get(f"{URL}{alices.pk}/").status_code == 404

    # when alice submits
    submit_for(api, panel["alice"], panel["screen"])

    # then she sees bob's
    assert api.as_user(panel["alice"]).get(f"{URL}{bobs['id']}/").status_code == 200
    assert sorted(c["interviewer"] for c in api.get(URL).json()["results"]) == ["alice", "bob"]


def test_recruiters_and_the_hiring_manager_see_all_submitted_scorecards(api, panel):
    bobs = submit_for(api, panel["bob"], panel["design"])
    api.as_user(panel["alice"]).post(
        URL, {"interview": panel["screen"].pk, "ratings": []}, format="json"
    )
    for user in (recruiter(), panel["manager"]):
        listed = api.as_user(user).get(URL, {"application": panel["app"].pk}).json()["results"]
        assert [c["id"] for c in listed] == [bobs["id"]]  # drafts stay private
    other_manager = hiring_manager()
    assert api.as_user(other_manager).get(f"{URL}{bobs['id']}/").status_code == 404


def test_cannot_write_a_scorecard_for_an_interview_you_are_not_on(api, panel):
    response = api.as_user(panel["alice"]).post(
        URL, {"interview": panel["design"].pk, "ratings": []}, format="json"
    )
    assert response.status_code == 404
    response = api.as_user(recruiter()).post(
        URL, {"interview": panel["design"].pk, "ratings": []}, format="json"
    )
    assert response.status_code == 404


def test_anonymous_is_refused(api, panel):
    assert api.get(URL).status_code == 401


def test_scorecard_list_query_count_is_constant(api, panel, django_assert_max_num_queries):
    for _ in range(3):
        person = interviewer()
        interview = InterviewFactory(application=panel["app"], interviewers=[person])
        submit_for(api, person, interview)
    user = recruiter()
    api.as_user(user)
    with django_assert_max_num_queries(8) as captured:
        response = api.get(URL)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3
    baseline = len(captured.captured_queries)
    for _ in range(3):
        person = interviewer()
        submit_for(api, person, InterviewFactory(application=panel["app"], interviewers=[person]))
    api.as_user(user)
    with django_assert_max_num_queries(baseline):
        assert len(api.get(URL).json()["results"]) == 6
