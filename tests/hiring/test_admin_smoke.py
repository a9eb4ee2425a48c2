"""Every hiring ModelAdmin opens: changelist, search, add page and change page."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from hiring import services
from hiring.models import (
    Application,
    BarVersion,
    Candidate,
    Competency,
    Opening,
    RoleProfile,
    StageChange,
)
from tests.hiring.factories import CandidateEmailFactory, CandidateFactory, OpeningFactory

pytestmark = pytest.mark.django_db


@dataclass
class Page:
    model: type
    search: str
    can_add: bool = True
    # An application's page is read-only too (it moves through its own form), though one is
    # added through the admin.
    change_saves: bool | None = None

    @property
    def has_save_button(self) -> bool:
        return self.can_add if self.change_saves is None else self.change_saves


PAGES = [
    Page(Competency, "ml-knowledge"),
    Page(RoleProfile, "researcher"),
    Page(BarVersion, "ml-engineer", can_add=False),
    Page(Opening, "Vision"),
    Page(Candidate, "ada@example.org"),
    Page(Application, "Lovelace", change_saves=False),
    Page(StageChange, "Lovelace", can_add=False),
]


@pytest.fixture
def one_of_each() -> dict[type, object]:
    """An application through the service, so every hiring model has at least one row."""
    profile = RoleProfile.objects.get(slug="ml-engineer")
    opening = OpeningFactory(title="Vision ML Engineer", role_profile=profile)
    candidate = CandidateFactory(full_name="Ada Lovelace", github_login="ada")
    CandidateEmailFactory(candidate=candidate, email="ada@example.org")
    application = services.application_create(candidate=candidate, opening=opening)
    return {
        Competency: Competency.objects.get(slug="ml-knowledge"),
        RoleProfile: profile,
        BarVersion: application.bar_version,
        Opening: opening,
        Candidate: candidate,
        Application: application,
        StageChange: application.history.get(),
    }


def _url(model: type, view: str, *args: object) -> str:
    meta = model._meta  # type: ignore[attr-defined]
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.model.__name__)
def test_changelist_and_search(admin_client, one_of_each, page):
    # when
    listing = admin_client.get(_url(page.model, "changelist"))
    found = admin_client.get(_url(page.model, "changelist"), {"q": page.search})
    missing = admin_client.get(_url(page.model, "changelist"), {"q": "zzz-no-such-thing"})

    # then
    assert listing.status_code == 200
    assert found.status_code == 200
    assert found.context["cl"].result_count >= 1
    assert missing.context["cl"].result_count == 0


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.model.__name__)
def test_add_page(admin_client, page):
    response = admin_client.get(_url(page.model, "add"))
    # History and frozen versions are written by services only.
    assert response.status_code == (200 if page.can_add else 403)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.model.__name__)
def test_change_page(admin_client, one_of_each, page):
    obj = one_of_each[page.model]
    response = admin_client.get(_url(page.model, "change", obj.pk))  # type: ignore[attr-defined]
    assert response.status_code == 200
    # Read-only pages offer no save button.
    assert (b'name="_save"' in response.content) == page.has_save_button


def test_candidate_page_shows_emails_and_links_to_applications(admin_client, one_of_each):
    candidate, application = one_of_each[Candidate], one_of_each[Application]
    response = admin_client.get(_url(Candidate, "change", candidate.pk))  # type: ignore[attr-defined]
    content = response.content.decode()
    assert "ada@example.org" in content
    assert _url(Application, "change", application.pk) in content  # type: ignore[attr-defined]


def test_role_profile_page_shows_bars_and_version_history(admin_client, one_of_each):
    profile = one_of_each[RoleProfile]
    response = admin_client.get(_url(RoleProfile, "change", profile.pk))  # type: ignore[attr-defined]
    bars = response.context["inline_admin_formsets"][0].formset
    assert bars.queryset.count() == 9
    assert "software-engineering ≥3 (strength 4)" in response.content.decode()


def test_application_change_page_has_no_editable_stage(admin_client, one_of_each):
    application = one_of_each[Application]
    response = admin_client.get(_url(Application, "change", application.pk))  # type: ignore[attr-defined]
    assert "stage" not in response.context["adminform"].form.fields
    assert "Contacted" in response.content.decode()  # the "can move to" hint
