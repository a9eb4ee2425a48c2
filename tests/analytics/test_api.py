"""The analytics API through HTTP: numbers from the stage history, scoped to the requester, bad
input refused with the field named, thin data answered honestly, query counts pinned."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from analytics import demo
from hiring.models import Application, Opening, Stage, StageChange
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    OpeningFactory,
    TokenFactory,
    UserFactory,
)
from tests.interviews.factories import hiring_manager, recruiter

pytestmark = pytest.mark.django_db

FUNNEL = "/api/v1/analytics/funnel/"
CALIBRATION = "/api/v1/analytics/calibration/"


def api(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


def moved(opening: Opening, source: str, moves: list[tuple[str, int]]) -> Application:
    """An application whose history is ``moves``: (stage, days ago), oldest first."""
    now = timezone.now()
    application = ApplicationFactory(
        opening=opening, candidate=CandidateFactory(source=source), stage=moves[-1][0],
        stage_changed_at=now - dt.timedelta(days=moves[-1][1]),
        rejection_reason="other" if moves[-1][0] == Stage.REJECTED else "",
    )  # fmt: skip
    previous = ""
    for stage, days_ago in moves:
        change = StageChange.objects.create(
            application=application, from_stage=previous, to_stage=stage
        )
        StageChange.objects.filter(pk=change.pk).update(
            created_at=now - dt.timedelta(days=days_ago)
        )
        previous = stage
    return application


def test_funnel_counts_reached_conversion_of_decided_cases_and_days_in_stage_by_source():
    # given two arXiv candidates screened after 10 and 4 days (one then rejected, one waiting),
    # and a referral rejected at sourcing
    opening = OpeningFactory()
    moved(opening, "arxiv", [("sourced", 30), ("screen", 20), ("rejected", 15)])
    moved(opening, "arxiv", [("sourced", 8), ("screen", 4)])
    moved(opening, "referral", [("sourced", 9), ("rejected", 2)])

    # when
    body = api(recruiter()).get(FUNNEL, {"opening": opening.pk}).json()

    # then: from the history, not from current stages
    stages = {row["stage"]: row for row in body["stages"]}
    assert body["applications"] == 3
    assert stages["sourced"]["reached"] == 3
    assert stages["sourced"]["exited"] == 1
    assert stages["sourced"]["conversion"] == pytest.approx(2 / 3)
    # contacted was skipped: passed in no time, not an observed stay
    assert stages["contacted"]["reached"] == 2
    assert stages["contacted"]["skipped"] == 2
    assert stages["contacted"]["dwell_observations"] == 0
    assert stages["sourced"]["dwell_median_days"] == 4
    assert stages["sourced"]["dwell_p90_days"] == 10
    # screen: one decided (rejected), one pending that does not count against conversion
    assert stages["screen"]["pending"] == 1
    assert stages["screen"]["conversion"] == 0.0
    sources = {row["source"]: row for row in body["sources"]}
    assert sources["arxiv"]["applications"] == 2
    assert sources["referral"]["applications"] == 1


def test_a_hiring_manager_counts_only_their_openings_and_cannot_name_another():
    # given
    manager = hiring_manager()
    mine = OpeningFactory(hiring_manager=manager)
    theirs = OpeningFactory()
    moved(mine, "ats", [("sourced", 5)])
    moved(theirs, "ats", [("sourced", 5)])
    moved(theirs, "ats", [("sourced", 5)])

    # when
    client = api(manager)
    overall = client.get(FUNNEL).json()
    other = client.get(FUNNEL, {"opening": theirs.pk})
    forecast = client.get(f"/api/v1/openings/{theirs.pk}/forecast/")

    # then
    assert overall["applications"] == 1
    assert other.status_code == 400
    assert "opening" in other.json()
    assert forecast.status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"stage": "screen"}, "stage"),
        ({"date_from": "2026-02-30"}, "date_from"),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "date_to"),
        ({"source": "linkedin"}, "source"),
        ({"role": "astronaut"}, "role"),
        ({"opening": "1.5"}, "opening"),
    ],
)
def test_bad_funnel_filters_are_a_400_naming_the_field(query, field):
    response = api(recruiter()).get(FUNNEL, query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_funnel_answers_in_a_constant_number_of_queries(django_assert_num_queries):
    # given a handful of openings and sources
    user = recruiter()
    for index in range(4):
        opening = OpeningFactory()
        moved(opening, ["ats", "arxiv", "github", "manual"][index], [("sourced", 9), ("screen", 3)])
    client = api(user)
    client.get(FUNNEL)  # the token and the session are warm

    # when / then: the history alone (credentials are cached; a recruiter sees every opening)
    with django_assert_num_queries(1):
        assert client.get(FUNNEL).status_code == 200
    # more data, same count
    moved(OpeningFactory(), "referral", [("sourced", 9), ("rejected", 3)])
    with django_assert_num_queries(1):
        assert client.get(FUNNEL, {"source": "referral"}).json()["applications"] == 1


def test_an_opening_without_history_or_target_falls_back_and_still_gets_fill_dates():
    # given a role with history elsewhere and a new opening of it with nothing yet
    older = OpeningFactory()
    for days in range(12):
        moved(older, "ats", [("sourced", 40 + days), ("screen", 35 + days), ("rejected", 30)])
    moved(older, "ats", [("sourced", 60), ("screen", 50), ("onsite", 45), ("offer", 42),
                         ("hired", 40)])  # fmt: skip
    new = OpeningFactory(role_profile=older.role_profile, target_fill_date=None)

    # when
    body = api(recruiter()).get(f"/api/v1/openings/{new.pk}/forecast/").json()

    # then
    forecast = body["forecast"]
    assert body["kind"] == "forecast"
    assert forecast["runs"] == 10_000
    assert forecast["falls_back_to_pooled"] is True
    assert any("no history of its own" in a for a in body["assumptions"])
    assert forecast["p_filled_by_target"] is None
    assert forecast["extra_sourced_for_80_percent"] is None
    assert any("No target date" in a for a in body["assumptions"])
    assert sum(w["probability"] for w in forecast["weekly"]) + forecast["beyond_horizon"] == (
        pytest.approx(1.0)
    )
    assert forecast["stages"][0]["role_decided"] == 13


def test_a_closed_opening_reports_its_actual_outcome():
    # given an opening filled on day -10 against a target of day -5
    today = timezone.localdate()
    opening = OpeningFactory(
        status=Opening.Status.CLOSED, target_fill_date=today - dt.timedelta(days=5)
    )
    moved(opening, "referral", [("sourced", 30), ("offer", 12), ("hired", 10)])

    # when
    body = api(recruiter()).get(f"/api/v1/openings/{opening.pk}/forecast/").json()

    # then
    assert body["kind"] == "outcome"
    assert body["forecast"] is None
    assert body["outcome"] == {
        "hires": 1,
        "filled": True,
        "filled_on": (timezone.localtime() - dt.timedelta(days=10)).date().isoformat(),
        "met_target": True,
    }


def test_more_sourced_candidates_lift_the_chance_and_the_answer_says_how_many(settings):
    # given a demo history and one of its open openings with a target
    demo.generate(openings=6, applicants_per_opening=200, seed=3, with_interviews=False)
    opening = Opening.objects.filter(status=Opening.Status.OPEN).first()
    assert opening is not None
    Opening.objects.filter(pk=opening.pk).update(
        target_fill_date=timezone.localdate() + dt.timedelta(days=60)
    )

    # when
    body = api(recruiter()).get(f"/api/v1/openings/{opening.pk}/forecast/").json()

    # then
    forecast = body["forecast"]
    assert 0.0 <= forecast["p_filled_by_target"] <= 1.0
    if forecast["fill_date_p80"] is not None:
        assert forecast["fill_date_p50"] <= forecast["fill_date_p80"]
    extra = forecast["extra_sourced_for_80_percent"]
    if forecast["p_filled_by_target"] >= 0.8:
        assert extra == 0
    else:
        assert extra is None or extra > 0


def test_unknown_forecast_parameters_are_a_400():
    opening = OpeningFactory()
    response = api(recruiter()).get(f"/api/v1/openings/{opening.pk}/forecast/", {"runs": 5})
    assert response.status_code == 400
    assert "runs" in response.json()


def test_calibration_is_for_recruiters_and_finds_the_lenient_interviewer():
    # given a demo history with panels (one interviewer rates about a point high)
    demo.generate(openings=5, applicants_per_opening=400, seed=5)

    # when
    denied = api(hiring_manager()).get(CALIBRATION)
    also_denied = api(UserFactory()).get(CALIBRATION)
    body = api(recruiter()).get(CALIBRATION).json()

    # then
    assert denied.status_code == 403
    assert also_denied.status_code == 403
    role = max(body["roles"], key=lambda r: r["agreement"]["shared_units"])
    ranked = [i for i in role["interviewers"] if i["status"] == "ok"]
    assert ranked[0]["username"] == "demo-lenient"
    assert ranked[0]["leniency_low"] > 0
    assert ranked[-1]["username"] == "demo-strict"
    assert ranked[-1]["leniency_high"] < 0
    assert role["agreement"]["status"] == "ok"
    assert -1 <= role["agreement"]["alpha"] <= 1
    thin = [
        i
        for i in role["interviewers"]
        if i["shared_applications"] < body["min_shared_applications"]
    ]
    assert all(i["leniency"] is None and i["status"] == "not enough data" for i in thin)


def test_calibration_rejects_an_unknown_role_or_parameter():
    client = api(recruiter())
    assert "role" in client.get(CALIBRATION, {"role": "nobody"}).json()
    assert "since" in client.get(CALIBRATION, {"since": "2026-01-01"}).json()


def test_the_forecast_route_does_not_shadow_the_opening():
    opening = OpeningFactory()
    client = api(recruiter())
    assert client.get(f"/api/v1/openings/{opening.pk}/").json()["id"] == opening.pk
