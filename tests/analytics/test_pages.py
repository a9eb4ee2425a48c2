"""The analytics pages in the admin: the dashboard on the index (numbers linking to their lists,
scoped, a fixed number of queries), the funnel, forecast and calibration pages; and in Debian's
chromium, every chart drawn from the app's own static files."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from analytics import demo
from hiring.models import Application, Opening
from tests.hiring.factories import OpeningFactory
from tests.interviews.factories import hiring_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def history() -> demo.Generated:
    # The last noon: an opening's span is then whole days plus three hours (it opened at nine),
    # so the history depends on the seed alone, not on the hour the suite runs at (at some hours
    # this seed closed no opening), and nothing in it is later than now.
    now = timezone.now()
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    if noon > now:
        noon -= dt.timedelta(days=1)
    return demo.generate(openings=6, applicants_per_opening=300, seed=11, now=noon)


@pytest.fixture
def boss() -> Any:
    return get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-for-tests-1")


def test_the_dashboard_lists_open_openings_with_pipeline_links_that_match_their_lists(
    admin_client: Client, history: demo.Generated
):
    # when
    page = admin_client.get("/admin/").content.decode()

    # then: every open opening is there, with its chance and links to the filtered changelist
    open_openings = Opening.objects.filter(status=Opening.Status.OPEN)
    assert open_openings.exists()
    for opening in open_openings:
        assert opening.title in page
        assert f"/admin/analytics/openings/{opening.pk}/forecast/" in page
    link = re.search(
        r'href="(/admin/hiring/application/\?opening__id__exact=(\d+)&amp;stage__exact=(\w+))">(\d+)<',
        page,
    )
    assert link is not None
    url, opening_id, stage, shown = link.groups()
    listed = admin_client.get(url.replace("&amp;", "&"))
    assert listed.status_code == 200
    expected = Application.objects.filter(opening_id=opening_id, stage=stage).count()
    assert int(shown) == expected
    assert listed.context["cl"].result_count == expected
    # an opening whose target has gone by is said to have missed it, not given "0 %"
    late = open_openings.first()
    assert late is not None
    late.target_fill_date = timezone.localdate() - dt.timedelta(days=3)
    late.save()
    row = re.search(
        rf'/admin/analytics/openings/{late.pk}/forecast/">([^<]+)<',
        admin_client.get("/admin/").content.decode(),
    )
    assert row is not None
    assert row.group(1) == "target passed"
    # the "waiting for scorecards" number opens the list of those interviews
    owed = re.search(r'id="awaiting-scorecards" href="([^"]+)">(\d+)<', page)
    assert owed is not None
    assert int(owed.group(2)) > 0
    waiting = admin_client.get(owed.group(1)).content.decode()
    assert len(re.findall(r"/admin/interviews/interview/\d+/change/", waiting)) == int(
        owed.group(2)
    )


def test_the_dashboard_takes_a_fixed_number_of_queries(
    admin_client: Client, django_assert_max_num_queries: Any
):
    # given a small history, then one three times larger
    demo.generate(openings=3, applicants_per_opening=100, seed=1)
    admin_client.get("/admin/")
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(20) as small:
        admin_client.get("/admin/")
    demo.generate(openings=9, applicants_per_opening=100, seed=2, with_interviews=False)
    cache.clear()

    # when / then
    with django_assert_max_num_queries(len(small)) as large:
        admin_client.get("/admin/")
    assert len(large) == len(small)


def test_a_hiring_manager_sees_only_their_openings_on_the_dashboard(client: Client):
    # given
    manager = hiring_manager(is_staff=True)
    mine = OpeningFactory(hiring_manager=manager, title="Mine")
    OpeningFactory(title="Someone else's")
    client.force_login(manager)

    # when
    page = client.get("/admin/").content.decode()

    # then
    assert mine.title in page
    assert "Someone else" not in page
    assert "privacy notice" not in page  # candidates across openings are not theirs to count
    assert client.get("/admin/analytics/calibration/").status_code == 403


def test_the_funnel_page_shows_an_error_for_a_bad_filter_and_the_overall_funnel(
    admin_client: Client, history: demo.Generated
):
    page = admin_client.get("/admin/analytics/funnel/", {"date_from": "yesterday"})
    assert page.status_code == 200
    assert "date_from: Enter a valid date." in page.content.decode()
    assert page.context["funnel"]["applications"] == history.applications


def test_the_funnel_page_names_stages_and_openings_as_people_read_them(
    admin_client: Client, history: demo.Generated
):
    page = admin_client.get("/admin/analytics/funnel/").content.decode()
    assert "<td>Take-home</td>" in page
    assert "take_home" not in page.split('id="funnel-data"')[0]
    # the charts' data carries the labels too (and the API's stage values)
    data = admin_client.get("/admin/analytics/funnel/").context["funnel"]
    assert {"stage": "take_home", "label": "Take-home"}.items() <= data["stages"][3].items()
    # an opening is chosen by its title, and the choice is kept
    opening = Opening.objects.order_by("title").first()
    assert opening is not None
    chosen = admin_client.get("/admin/analytics/funnel/", {"opening": opening.pk})
    assert f'<option value="{opening.pk}" selected>{opening.title}</option>' in (
        chosen.content.decode()
    )
    assert chosen.context["funnel"]["applications"] == opening.applications.count()


def test_demo_take_homes_carry_codes_shaped_like_real_ones(history: demo.Generated):
    from interviews.models import TakeHomeAssignment

    codes = list(TakeHomeAssignment.objects.values_list("submission_code", flat=True))
    assert codes
    assert all(re.fullmatch(r"TH-[A-HJ-NP-Z2-9]{6}", code) for code in codes)


def test_a_closed_openings_page_shows_its_outcome(admin_client: Client, history: demo.Generated):
    closed = Opening.objects.filter(status=Opening.Status.CLOSED).first()
    assert closed is not None  # the seeded history fills some of its openings
    page = admin_client.get(f"/admin/analytics/openings/{closed.pk}/forecast/").content.decode()
    assert 'id="outcome"' in page
    assert "filled on" in page
    assert 'id="forecast-chart"' not in page


# live_server needs real commits; serialized_rollback restores the seeded rows (groups, role
# profiles, kits) for the tests after, instead of post_migrate re-creating them on flush.
@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_chart_is_drawn_in_chromium_from_the_apps_own_files(
    history: demo.Generated, boss: Any, browser: Any, live_server: Any
):
    # given a recruiter's session (rows are built before the browser starts: with Playwright's
    # event loop running, the ORM would open a connection that outlives the test)
    page = browser.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("input[type=submit]")
    forecast_url = page.locator("a.chance").first.get_attribute("href")

    # when / then: each page's canvases are drawn by Chart.js
    for path in ("/admin/analytics/funnel/", forecast_url, "/admin/analytics/calibration/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector("canvas[data-drawn=yes]")
        canvases = page.locator("canvas[data-chart]")
        assert canvases.count() >= 1
        assert page.locator("canvas[data-chart]:not([data-drawn=yes])").count() == 0
        assert page.evaluate("typeof Chart") == "function"
        if path.endswith("/funnel/"):
            labels = page.evaluate(
                "Chart.getChart(document.getElementById('funnel-chart')).data.labels"
            )
            assert "Take-home" in labels
    assert outside == []


def test_a_recruiter_sets_the_planning_dates_and_a_bad_order_is_refused(admin_client: Client):
    # given
    opening = OpeningFactory()
    url = f"/admin/analytics/openings/{opening.pk}/dates/"

    # when
    refused = admin_client.post(url, {"opened_on": "2026-05-01", "closed_on": "2026-04-01"})
    saved = admin_client.post(url, {"opened_on": "2026-05-01", "target_fill_date": "2026-09-01"})

    # then
    assert "Must not be before the day the opening opened." in refused.content.decode()
    assert saved.status_code == 302
    opening.refresh_from_db()
    assert str(opening.opened_on) == "2026-05-01"
    assert str(opening.target_fill_date) == "2026-09-01"
    assert opening.closed_on is None


def test_a_hiring_manager_cannot_change_the_planning_dates(client: Client):
    manager = hiring_manager(is_staff=True)
    opening = OpeningFactory(hiring_manager=manager)
    client.force_login(manager)
    response = client.post(f"/admin/analytics/openings/{opening.pk}/dates/", {})
    assert response.status_code == 403
