"""Kits and interviews through the API: read-only, scoped, constant query counts."""

from __future__ import annotations

import pytest

from interviews.models import InterviewKit
from tests.hiring.factories import UserFactory
from tests.interviews.factories import (
    InterviewFactory,
    application_for,
    hiring_manager,
    interviewer,
    recruiter,
)

pytestmark = pytest.mark.django_db


def test_kits_list_with_rubric_and_filters(api):
    response = api.as_user(interviewer()).get(
        "/api/v1/kits/", {"role_profile": "ml-researcher", "page_size": 50}
    )
    assert response.status_code == 200
    kits = response.json()["results"]
    assert {k["stage"] for k in kits} == {
        "screen",
        "past-project-deep-dive",
        "theory",
        "math",
        "pair-debugging",
        "communication-culture",
    }
    question = kits[0]["questions"][0]
    assert set(question["rubric"]) == {"1", "2", "3", "4"}
    kit = InterviewKit.objects.get(role_profile__slug="ml-researcher", stage="math")
    detail = api.get(f"/api/v1/kits/{kit.pk}/").json()
    assert detail["focus_competencies"] == ["math-statistics"]


def test_kits_are_read_only(api):
    kit = InterviewKit.objects.first()
    client = api.as_user(recruiter())
    assert client.post("/api/v1/kits/", {}, format="json").status_code == 405
    assert client.put(f"/api/v1/kits/{kit.pk}/", {}, format="json").status_code == 405


def test_a_user_without_a_group_sees_only_kits_of_their_interviews(api):
    person = UserFactory()
    assert api.as_user(person).get("/api/v1/kits/").json()["results"] == []
    interview = InterviewFactory(interviewers=[person])
    listed = api.get("/api/v1/kits/").json()["results"]
    assert [k["id"] for k in listed] == [interview.kit_id]


def test_kit_list_query_count_is_constant(api, django_assert_max_num_queries):
    api.as_user(interviewer())
    with django_assert_max_num_queries(10) as captured:
        small = api.get("/api/v1/kits/", {"page_size": 3}).json()["results"]
    baseline = len(captured.captured_queries)
    with django_assert_max_num_queries(baseline):
        large = api.get("/api/v1/kits/", {"page_size": 30}).json()["results"]
    assert len(small) == 3
    assert len(large) > 3 * 5


def test_interviewers_see_only_their_interviews(api):
    alice, bob = interviewer(), interviewer()
    mine = InterviewFactory(interviewers=[alice])
    theirs = InterviewFactory(interviewers=[bob])
    listed = api.as_user(alice).get("/api/v1/interviews/").json()["results"]
    assert [i["id"] for i in listed] == [mine.pk]
    assert api.get(f"/api/v1/interviews/{theirs.pk}/").status_code == 404
    assert len(api.as_user(recruiter()).get("/api/v1/interviews/").json()["results"]) == 2


def test_hiring_manager_sees_the_interviews_of_their_openings(api):
    manager = hiring_manager()
    interview = InterviewFactory(
        application=application_for(manager=manager), interviewers=[interviewer()]
    )
    InterviewFactory(interviewers=[interviewer()])
    listed = api.as_user(manager).get("/api/v1/interviews/").json()["results"]
    assert [i["id"] for i in listed] == [interview.pk]
    assert api.get("/api/v1/interviews/", {"mine": "1"}).json()["results"] == []


def test_interview_list_query_count_is_constant(api, django_assert_max_num_queries):
    user = recruiter()
    InterviewFactory(interviewers=[interviewer()])
    api.as_user(user)
    with django_assert_max_num_queries(8) as captured:
        api.get("/api/v1/interviews/")
    baseline = len(captured.captured_queries)
    for _ in range(4):
        InterviewFactory(interviewers=[interviewer(), interviewer()])
    with django_assert_max_num_queries(baseline):
        assert len(api.get("/api/v1/interviews/").json()["results"]) == 5


def test_mine_narrows_a_recruiters_list_to_the_interviews_they_take_part_in(api):
    user = recruiter()
    theirs = InterviewFactory(interviewers=[user])
    InterviewFactory(interviewers=[interviewer()])
    api.as_user(user)

    everything = api.get("/api/v1/interviews/", {"mine": "false"}).json()["results"]
    mine = api.get("/api/v1/interviews/", {"mine": "TRUE"}).json()["results"]

    assert len(everything) == 2
    assert [i["id"] for i in mine] == [theirs.pk]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/scorecards/", {"interview": "18888834964989648896"}),
        ("/api/v1/scorecards/", {"application": "x"}),
        ("/api/v1/takehome-assignments/", {"application": "²"}),
        ("/api/v1/debugging-sessions/", {"application": "99999999999999999999"}),
        ("/api/v1/debugging-sessions/", {"application": "0"}),
        ("/api/v1/interviews/", {"mine": "maybe"}),
        ("/api/v1/kits/", {"stage": "no-such-stage"}),
    ],
)
def test_a_filter_value_that_cannot_be_one_is_a_400_naming_the_field(api, path, params):
    response = api.as_user(recruiter()).get(path, params)

    assert response.status_code == 400, response.content
    assert set(response.json()) == set(params)
