"""``core.admin.extend_admin``: how sourcing and interviews add their inlines and actions to the
hiring admin pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from core.admin import extend_admin
from hiring.models import Candidate, CandidateEmail, Opening
from tests.hiring.factories import CandidateEmailFactory, CandidateFactory, OpeningFactory

pytestmark = pytest.mark.django_db


class ProbeEmailInline(admin.TabularInline):
    model = CandidateEmail
    fields = ["email"]
    extra = 0
    verbose_name_plural = "probe inline from another app"


@admin.action(description="Probe: count the selected openings")
def probe_action(modeladmin, request, queryset):  # type: ignore[no-untyped-def]
    modeladmin.message_user(request, f"probed {queryset.count()}", messages.INFO)


@pytest.fixture
def restore_admins() -> Iterator[None]:
    """extend_admin changes the live admin.site; put it back for the other tests."""
    saved = {
        model: (
            admin.site.get_model_admin(model).inlines,
            admin.site.get_model_admin(model).actions,
        )
        for model in (Candidate, Opening)
    }
    yield
    for model, (inlines, actions) in saved.items():
        model_admin = admin.site.get_model_admin(model)
        model_admin.inlines, model_admin.actions = inlines, actions


def test_inline_added_by_another_app_shows_on_the_change_page(admin_client, restore_admins):
    candidate = CandidateFactory()
    CandidateEmailFactory(candidate=candidate, email="probe@example.org")

    # when another app extends the candidate admin (twice: its module may be imported again)
    extend_admin(Candidate, inlines=[ProbeEmailInline])
    extend_admin(Candidate, inlines=[ProbeEmailInline])

    # then its inline follows the built-in ones (and those other apps added before), once
    response = admin_client.get(reverse("admin:hiring_candidate_change", args=[candidate.pk]))
    assert response.status_code == 200
    names = [type(f.opts).__name__ for f in response.context["inline_admin_formsets"]]
    assert names[:2] == ["CandidateEmailInline", "ApplicationInline"]
    assert names[-1] == "ProbeEmailInline"
    assert names.count("ProbeEmailInline") == 1
    assert "probe inline from another app" in response.content.decode().lower()


def test_action_added_by_another_app_runs_from_the_changelist(admin_client, restore_admins):
    openings = [OpeningFactory(), OpeningFactory()]
    extend_admin(Opening, actions=[probe_action])

    response = admin_client.post(
        reverse("admin:hiring_opening_changelist"),
        {"action": "probe_action", "_selected_action": [o.pk for o in openings], "index": 0},
        follow=True,
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["probed 2"]


def test_extending_an_unregistered_model_fails_loudly():
    with pytest.raises(NotRegistered):
        extend_admin(Group.permissions.through, inlines=[ProbeEmailInline])
