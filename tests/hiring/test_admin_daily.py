"""A recruiter's daily path in the application admin: move or reject one application from its
page, the reject action refusing a contradicting "to stage", one error for a duplicate, the role
and opening filters from the guide, and a keywords box that shows a profile's keywords."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from hiring import services
from hiring.models import Application, RoleProfile, Stage, StageChange
from tests.hiring.factories import CandidateFactory, OpeningFactory, RoleBarFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:hiring_application_changelist"


def _application() -> Application:
    return services.application_create(candidate=CandidateFactory(), opening=OpeningFactory())


def _messages(response: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


# --- one application's page ---------------------------------------------------------------------


def test_the_application_page_offers_its_legal_moves_and_a_reject_button(admin_client):
    application = _application()
    page = admin_client.get(reverse("admin:hiring_application_change", args=[application.pk]))
    form = page.context["stage_move_form"]
    offered = [value for value, _ in form.fields["to_stage"].choices]
    assert set(offered) == services.allowed_next_stages(Stage.SOURCED) - {Stage.REJECTED}
    body = page.content.decode()
    assert 'value="move"' in body
    assert 'value="reject"' in body
    # the page's fields are all read-only: no "Save" button pretending otherwise
    assert 'name="_save"' not in body
    assert 'name="_continue"' not in body


def test_moving_from_the_application_page(admin_client):
    application = _application()
    url = reverse("admin:hiring_application_move", args=[application.pk])
    response = admin_client.post(
        url, {"transition": "move", "to_stage": "screen", "reason": "strong CV"}, follow=True
    )
    application.refresh_from_db()
    assert application.stage == Stage.SCREEN
    assert ("success", "Moved to Screen.") in _messages(response)
    assert StageChange.objects.filter(application=application, reason="strong CV").exists()


def test_rejecting_from_the_application_page_needs_a_reason(admin_client):
    application = _application()
    url = reverse("admin:hiring_application_move", args=[application.pk])

    response = admin_client.post(url, {"transition": "reject", "rejection_reason": ""}, follow=True)
    application.refresh_from_db()
    assert application.stage == Stage.SOURCED
    assert any("Choose a rejection reason" in text for _, text in _messages(response))

    admin_client.post(url, {"transition": "reject", "rejection_reason": "below_bar"})
    application.refresh_from_db()
    assert (application.stage, application.rejection_reason) == (Stage.REJECTED, "below_bar")

    # a closed application offers no moves any more
    page = admin_client.get(reverse("admin:hiring_application_change", args=[application.pk]))
    assert "it cannot move any more" in page.content.decode()


def test_an_illegal_move_posted_by_hand_changes_nothing(admin_client):
    application = _application()
    url = reverse("admin:hiring_application_move", args=[application.pk])
    response = admin_client.post(url, {"transition": "move", "to_stage": "hired"}, follow=True)
    application.refresh_from_db()
    assert application.stage == Stage.SOURCED
    assert any(level == "error" and "Nothing was changed" in t for level, t in _messages(response))
    assert admin_client.get(url).status_code == 405


def test_staff_without_change_permission_cannot_move(client, django_user_model):
    application = _application()
    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_application"))
    client.force_login(viewer)
    url = reverse("admin:hiring_application_move", args=[application.pk])
    response = client.post(url, {"transition": "move", "to_stage": "screen"})
    assert response.status_code == 403
    assert "You may not open this page" in response.content.decode()  # the site's 403 page
    application.refresh_from_db()
    assert application.stage == Stage.SOURCED


# --- bulk actions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "refusal"),
    [
        # a rejection whose "to stage" says to move somewhere else
        ("reject", "“To stage” says Screen"),
        # a move that carries a rejection reason meant for a rejection
        ("move_to_stage", "A rejection reason goes with a rejection"),
    ],
)
def test_an_action_with_a_contradicting_choice_is_refused(admin_client, action, refusal):
    application = _application()
    response = admin_client.post(
        reverse(CHANGELIST),
        {
            "action": action,
            "_selected_action": [application.pk],
            "index": 0,
            "to_stage": "screen",
            "rejection_reason": "below_bar",
        },
        follow=True,
    )
    application.refresh_from_db()
    assert application.stage == Stage.SOURCED
    [(level, text)] = _messages(response)
    assert level == "error"
    assert refusal in text


# --- adding -------------------------------------------------------------------------------------


def test_a_duplicate_application_shows_one_error(admin_client):
    application = _application()
    response = admin_client.post(
        reverse("admin:hiring_application_add"),
        {"candidate": application.candidate_id, "opening": application.opening_id, "reason": ""},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert list(errors) == [services.ALREADY_APPLIED]


# --- filters ------------------------------------------------------------------------------------


def test_role_and_opening_filters_show_with_a_single_opening(admin_client):
    application = _application()
    page = admin_client.get(reverse(CHANGELIST))
    titles = [spec.title for spec in page.context["cl"].filter_specs if spec.has_output()]
    assert {"role", "opening", "opening status"} <= set(titles)

    other = services.application_create(
        candidate=CandidateFactory(),
        opening=OpeningFactory(role_profile=RoleBarFactory().role_profile),
    )
    by_opening = admin_client.get(reverse(CHANGELIST), {"opening": application.opening_id})
    assert [a.pk for a in by_opening.context["cl"].result_list] == [application.pk]
    by_role = admin_client.get(reverse(CHANGELIST), {"role": other.opening.role_profile.slug})
    assert [a.pk for a in by_role.context["cl"].result_list] == [other.pk]


# --- role profile page --------------------------------------------------------------------------


def test_the_keywords_box_is_tall_enough_for_the_profiles_keywords(admin_client):
    profile = RoleProfile.objects.exclude(sourcing_keywords=[]).first()
    assert profile is not None
    assert len(profile.sourcing_keywords) > 4
    page = admin_client.get(reverse("admin:hiring_roleprofile_change", args=[profile.pk]))
    widget = page.context["adminform"].form.fields["sourcing_keywords"].widget
    assert int(widget.attrs["rows"]) >= len(profile.sourcing_keywords)


def test_messages_name_stages_by_their_labels(admin_client):
    application = _application()
    response = admin_client.post(
        reverse(CHANGELIST),
        {
            "action": "move_to_stage",
            "_selected_action": [application.pk],
            "index": 0,
            "to_stage": "take_home",
        },
        follow=True,
    )
    [(level, text)] = _messages(response)
    assert level == "error"
    assert "Cannot move from Sourced to Take-home; it can move to Contacted, Screen" in text
    assert "take_home" not in text
