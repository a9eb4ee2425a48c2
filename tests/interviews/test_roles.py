"""Group permissions granted by the post_migrate handler."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from hiring import roles
from interviews.roles import grant_interview_permissions

pytestmark = pytest.mark.django_db


def codenames(group: str) -> set[str]:
    return set(
        Group.objects.get(name=group)
        .permissions.filter(content_type__app_label="interviews")
        .values_list("codename", flat=True)
    )


def test_groups_get_their_interview_permissions_idempotently():
    # the handler already ran after migrate; running it again changes nothing
    before = {
        name: codenames(name)
        for name in (roles.RECRUITERS, roles.HIRING_MANAGERS, roles.INTERVIEWERS)
    }
    grant_interview_permissions()
    grant_interview_permissions()
    after = {name: codenames(name) for name in before}
    assert before == after

    interviewers = after[roles.INTERVIEWERS]
    assert {
        "add_scorecard",
        "change_scorecard",
        "view_interviewkit",
        "add_takehomegrade",
    } <= interviewers
    assert not {"add_takehomeassignment", "change_interviewkit", "delete_scorecard"} & interviewers
    assert {"add_takehomeassignment", "change_interviewkit", "view_applicationverdict"} <= after[
        roles.RECRUITERS
    ]
    assert all(code.startswith("view_") for code in after[roles.HIRING_MANAGERS])
    assert "view_scorecard" in after[roles.HIRING_MANAGERS]
