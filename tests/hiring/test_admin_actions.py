"""The application changelist's bulk actions: stage, rejection reason and note come from the
action bar; moves go through ``applications_transition_many`` and are reported per application."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from hiring import services
from hiring.models import Application, Stage, StageChange
from tests.hiring.factories import CandidateFactory, OpeningFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:hiring_application_changelist"


def _application(stage: str = Stage.SOURCED) -> Application:
    application = services.application_create(
        candidate=CandidateFactory(), opening=OpeningFactory()
    )
    path = {
        Stage.SOURCED: [],
        Stage.SCREEN: [Stage.SCREEN],
        Stage.ONSITE: [Stage.SCREEN, Stage.ONSITE],
    }[stage]
    for step in path:
        services.application_transition(application=application, to_stage=step)
    return application


def _act(client: Any, action: str, applications: list[Application], **fields: str) -> Any:
    data = {
        "action": action,
        "_selected_action": [a.pk for a in applications],
        "index": 0,
        **fields,
    }
    return client.post(reverse(CHANGELIST), data, follow=True)


def _messages(response: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def test_changelist_shows_the_transition_fields_in_the_action_bar(admin_client):
    _application()
    response = admin_client.get(reverse(CHANGELIST))
    form = response.context["action_form"]
    assert list(form.fields) == [
        "action",
        "to_stage",
        "rejection_reason",
        "reason",
        "select_across",
    ]
    choices = dict(form.fields["action"].choices)
    assert {"move_to_stage", "reject"} <= set(choices)


def test_legal_move_goes_through_the_service(admin_client, admin_user):
    # given two sourced applications
    first, second = _application(), _application()

    # when the recruiter moves both to screen with a note
    response = _act(
        admin_client, "move_to_stage", [first, second], to_stage="screen", reason="Good papers"
    )

    # then both moved, with history naming the recruiter and the note
    assert response.status_code == 200
    assert _messages(response) == [("success", "Moved 2 of 2 to Screen.")]
    for application in (first, second):
        application.refresh_from_db()
        assert application.stage == Stage.SCREEN
        change = application.history.last()
        assert (change.from_stage, change.to_stage, change.reason, change.actor) == (
            "sourced",
            "screen",
            "Good papers",
            admin_user,
        )


def test_illegal_move_is_reported_per_application_and_the_others_still_move(admin_client):
    sourced, onsite = _application(), _application(Stage.ONSITE)

    response = _act(admin_client, "move_to_stage", [sourced, onsite], to_stage="screen")

    messages = _messages(response)
    assert ("success", "Moved 1 of 2 to Screen.") in messages
    errors = [text for level, text in messages if level == "error"]
    assert len(errors) == 1
    assert (
        f"(#{onsite.pk}) not moved: Cannot move from Onsite to Screen; it can move to" in errors[0]
    )
    assert "take_home" not in " ".join(errors)
    sourced.refresh_from_db()
    onsite.refresh_from_db()
    assert (sourced.stage, onsite.stage) == (Stage.SCREEN, Stage.ONSITE)


def test_move_without_a_stage_changes_nothing(admin_client):
    application = _application()

    response = _act(admin_client, "move_to_stage", [application])

    assert _messages(response) == [("warning", "Choose the stage to move to.")]
    assert application.history.count() == 1


def test_reject_requires_a_reason(admin_client):
    application = _application(Stage.SCREEN)
    before = StageChange.objects.count()

    response = _act(admin_client, "reject", [application], reason="not a fit")

    assert _messages(response) == [
        ("error", "Choose a rejection reason to reject applications; nothing was changed.")
    ]
    application.refresh_from_db()
    assert application.stage == Stage.SCREEN
    assert StageChange.objects.count() == before


def test_reject_with_a_reason(admin_client):
    screened, withdrawn = _application(Stage.SCREEN), _application()
    services.application_transition(
        application=withdrawn, to_stage=Stage.WITHDRAWN, reason="took another offer"
    )

    response = _act(
        admin_client,
        "reject",
        [screened, withdrawn],
        rejection_reason="below_bar",
        reason="math round",
    )

    messages = _messages(response)
    assert ("success", "Moved 1 of 2 to Rejected.") in messages
    assert any("final stage" in text for level, text in messages if level == "error")
    screened.refresh_from_db()
    assert (screened.stage, screened.rejection_reason) == (Stage.REJECTED, "below_bar")
    assert screened.history.last().reason == "math round"


def test_moving_to_rejected_without_a_reason_is_refused_by_the_service(admin_client):
    application = _application()

    response = _act(admin_client, "move_to_stage", [application], to_stage="rejected")

    [(level, text)] = _messages(response)
    assert level == "error"
    assert "A rejection needs a reason" in text


def test_many_errors_are_summarised(admin_client, monkeypatch):
    monkeypatch.setattr("hiring.admin.applications.MAX_ERROR_MESSAGES", 2)
    applications = [_application() for _ in range(4)]

    response = _act(admin_client, "move_to_stage", applications, to_stage="offer")

    errors = [text for level, text in _messages(response) if level == "error"]
    assert len(errors) == 3
    assert errors[-1] == "… and 2 more applications not moved."


def test_stage_filters(admin_client):
    sourced, screened = _application(), _application(Stage.SCREEN)
    services.application_transition(
        application=screened, to_stage=Stage.REJECTED, rejection_reason="below_bar"
    )

    by_stage = admin_client.get(reverse(CHANGELIST), {"stage__exact": "rejected"})
    active = admin_client.get(reverse(CHANGELIST), {"pipeline": "active"})
    by_role = admin_client.get(
        reverse(CHANGELIST),
        {"role": sourced.opening.role_profile.slug},
    )

    assert [a.pk for a in by_stage.context["cl"].result_list] == [screened.pk]
    assert [a.pk for a in active.context["cl"].result_list] == [sourced.pk]
    assert sourced.pk in [a.pk for a in by_role.context["cl"].result_list]


def test_changelist_explains_the_action_bar(admin_client):
    response = admin_client.get(reverse(CHANGELIST))
    assert 'class="help pipeline-help"' in response.content.decode()
