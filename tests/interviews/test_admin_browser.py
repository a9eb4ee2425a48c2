"""A recruiter schedules an interview and sends a take-home in the admin, in a real browser: once
the application is chosen, the kit search offers that role's kits only and the template search
the templates that fit it (``role_choices.js``), and what is picked there is saved."""

from __future__ import annotations

from typing import Any

import pytest

from interviews.models import Interview, InterviewKit, TakeHomeAssignment, TakeHomeTemplate
from tests.admin_browser import admin_sign_in
from tests.interviews.factories import application_for, interviewer, recruiter

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def scheduling() -> dict[str, Any]:
    """Made before the browser starts (with Playwright's loop running, the ORM would open a
    connection that outlives the test)."""
    recruiter(username="rita", is_staff=True)
    interviewer(username="dana")
    application = application_for("ml-researcher", full_name="Grace Hopper")
    kits = InterviewKit.objects.filter(role_profile=application.opening.role_profile)
    return {
        "application": application.pk,
        "kits": sorted(str(kit) for kit in kits),
        "others": InterviewKit.objects.exclude(role_profile=application.opening.role_profile)
        .values_list("pk", flat=True)
        .count(),
    }


def _options(page: Any) -> list[str]:
    page.locator(".select2-results__option:not(.loading-results)").first.wait_for()
    return sorted(page.locator(".select2-results__option").all_inner_texts())


def _open_form_and_choose(browser, live_server, *, form: str, candidate: str) -> tuple[Any, Any]:
    """Signed in as the recruiter, on the add form ``form``, its application chosen by
    searching for the candidate."""
    context, page = admin_sign_in(
        browser,
        live_server,
        username="rita",
        next_url=f"/admin/interviews/{form}/add/",
        viewport={"width": 1280, "height": 720},
    )
    page.locator(".field-application .select2-selection").click()
    page.locator(".select2-search__field").fill(candidate)
    page.locator(".select2-results__option", has_text=candidate).click()
    return context, page


def test_the_kit_search_offers_the_chosen_applications_kits(scheduling, browser, live_server):
    # when the recruiter chooses the application
    context, page = _open_form_and_choose(
        browser, live_server, form="interview", candidate="Grace Hopper"
    )

    # then the kit search offers its role's kits, not the other roles'
    assert scheduling["others"] > 0
    page.locator(".field-kit .select2-selection").click()
    assert _options(page) == scheduling["kits"]
    page.locator(".select2-search__field").fill("Screen")
    page.locator(".select2-results__option", has_text="Screen").click()

    page.locator("#id_scheduled_at_0").fill("2030-01-15")
    page.locator("#id_scheduled_at_1").fill("10:00:00")
    page.locator("#id_interviewers_from").select_option(label="dana")
    page.locator("#id_interviewers_add").click()
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".messagelist .success").wait_for()

    interview = Interview.objects.get()
    assert interview.application_id == scheduling["application"]
    assert interview.kit.stage == "screen"
    assert [u.username for u in interview.interviewers.all()] == ["dana"]
    context.close()


@pytest.fixture
def sending() -> dict[str, Any]:
    recruiter(username="rita", is_staff=True)
    interviewer(username="dana")
    application = application_for("ml-engineer", full_name="Grace Hopper")
    return {
        "application": application.pk,
        "templates": sorted(
            str(t)
            for t in TakeHomeTemplate.objects.filter(role_profile=application.opening.role_profile)
        ),
        "others": TakeHomeTemplate.objects.exclude(
            role_profile=application.opening.role_profile
        ).count(),
    }


def test_the_takehome_form_offers_the_templates_that_fit_and_sends_one(
    sending, browser, live_server
):
    # when the recruiter searches for the application and chooses it
    context, page = _open_form_and_choose(
        browser, live_server, form="takehomeassignment", candidate="Grace Hopper"
    )

    # then the template search offers the templates of its role, not the other roles'
    assert sending["others"] > 0
    page.locator(".field-template .select2-selection").click()
    assert _options(page) == sending["templates"]
    page.locator(".select2-results__option").first.click()

    page.locator("#id_due_at_0").fill("2030-01-15")
    page.locator("#id_due_at_1").fill("17:00:00")
    page.locator("#id_graders_from").select_option(label="dana")
    page.locator("#id_graders_add").click()
    page.get_by_role("button", name="Save", exact=True).click()

    # the link is shown once
    message = page.locator(".messagelist li", has_text="/take-home/")
    message.wait_for()
    assignment = TakeHomeAssignment.objects.get()
    assert assignment.application_id == sending["application"]
    assert str(assignment.template) == sending["templates"][0]
    assert [u.username for u in assignment.graders.all()] == ["dana"]
    assert assignment.link_expires_at > assignment.due_at
    context.close()
