"""Writes through the admin's forms: each goes through the hiring services (or their rules), and
every input problem is a form error on the page, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.urls import reverse

from hiring import services
from hiring.models import (
    Application,
    BarVersion,
    Candidate,
    CandidateEmail,
    Opening,
    RoleProfile,
    Stage,
)
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateEmailFactory,
    CandidateFactory,
    OpeningFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def form_data(response: Any) -> dict[str, Any]:
    """The POST body the admin page in ``response`` would submit unchanged: main form, every
    inline's management form and rows, as a browser would send them."""
    data: dict[str, Any] = {}

    def add(form: forms.BaseForm) -> None:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field, forms.BooleanField):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = "" if value is None else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def _errors(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 200, "expected the form again, with errors"
    errors = dict(response.context["adminform"].form.errors)
    for inline in response.context["inline_admin_formsets"]:
        for i, row in enumerate(inline.formset.errors):
            errors.update({f"{inline.formset.prefix}-{i}-{k}": v for k, v in row.items()})
        if inline.formset.non_form_errors():
            errors[f"{inline.formset.prefix}"] = inline.formset.non_form_errors()
    return errors


# --- openings ----------------------------------------------------------------------------------


def test_add_opening(admin_client):
    profile = RoleProfile.objects.get(slug="ml-researcher")
    manager = UserFactory(username="grace")
    page = admin_client.get(reverse("admin:hiring_opening_add"))
    data = form_data(page) | {
        "title": "Research Scientist, Speech",
        "role_profile": profile.pk,
        "level": "senior",
        "team": "Speech",
        "headcount": 2,
        "hiring_manager": manager.pk,
        "status": "open",
    }

    response = admin_client.post(reverse("admin:hiring_opening_add"), data)

    assert response.status_code == 302
    opening = Opening.objects.get(title="Research Scientist, Speech")
    assert (opening.role_profile, opening.hiring_manager, opening.headcount) == (
        profile,
        manager,
        2,
    )


def test_opening_for_a_retired_profile_is_a_form_error(admin_client):
    profile = RoleProfile.objects.get(slug="ml-product-manager")
    profile.is_active = False
    profile.save(update_fields=["is_active"])
    page = admin_client.get(reverse("admin:hiring_opening_add"))
    data = form_data(page) | {"title": "PM", "role_profile": profile.pk, "headcount": 1}

    errors = _errors(admin_client.post(reverse("admin:hiring_opening_add"), data))

    assert errors == {"role_profile": ["This role profile is retired."]}
    assert not Opening.objects.filter(title="PM").exists()


def test_opening_role_cannot_be_changed_after_creation(admin_client):
    opening = OpeningFactory(role_profile=RoleProfile.objects.get(slug="ml-engineer"))
    url = reverse("admin:hiring_opening_change", args=[opening.pk])
    data = form_data(admin_client.get(url)) | {
        "title": "Renamed",
        "role_profile": RoleProfile.objects.get(slug="data-scientist").pk,
    }

    assert admin_client.post(url, data).status_code == 302

    opening.refresh_from_db()
    assert (opening.title, opening.role_profile.slug) == ("Renamed", "ml-engineer")


def test_an_openings_page_leads_to_its_applications(admin_client):
    opening = OpeningFactory(role_profile=RoleProfile.objects.get(slug="ml-engineer"))
    ApplicationFactory(opening=opening)
    rejected = ApplicationFactory(opening=opening)
    services.application_transition(
        application=rejected, to_stage="rejected", rejection_reason="below_bar"
    )
    page = admin_client.get(reverse("admin:hiring_opening_change", args=[opening.pk]))
    assert page.status_code == 200
    listed = reverse("admin:hiring_application_changelist") + f"?opening={opening.pk}"
    assert f'<a href="{listed}">1 / 2</a>' in page.content.decode()
    assert admin_client.get(listed).status_code == 200


# --- candidates --------------------------------------------------------------------------------


def _candidate_add(admin_client: Any, **fields: Any) -> Any:
    page = admin_client.get(reverse("admin:hiring_candidate_add"))
    emails = fields.pop("emails", [])
    data = form_data(page) | {"full_name": "Alan Turing", "source": "manual"} | fields
    data["emails-TOTAL_FORMS"] = max(len(emails), 1)
    for i, email in enumerate(emails):
        data[f"emails-{i}-email"] = email
    return admin_client.post(reverse("admin:hiring_candidate_add"), data)


def test_add_candidate_goes_through_the_service(admin_client, admin_user):
    response = _candidate_add(
        admin_client,
        github_login="  aturing ",
        external_id="",
        arxiv_name_forms="Turing, Alan\nTuring, A. M.\n",
        emails=["alan@example.org", "turing@example.org"],
    )

    assert response.status_code == 302, _errors(response)
    candidate = Candidate.objects.get(full_name="Alan Turing")
    # normalised by the service: trimmed login, blank natural key stored as NULL
    assert candidate.github_login == "aturing"
    assert candidate.external_id is None
    assert candidate.created_by == admin_user
    assert candidate.arxiv_name_forms == ["Turing, Alan", "Turing, A. M."]
    emails = list(candidate.emails.values_list("email", "is_primary"))
    assert emails == [("alan@example.org", True), ("turing@example.org", False)]


@pytest.mark.parametrize(
    ("field", "value", "existing"),
    [
        ("github_login", "ADA", {"github_login": "ada"}),
        ("external_id", "ats-42", {"external_id": "ats-42"}),
        ("orcid", "0000-0002-1825-0097", {"orcid": "0000-0002-1825-0097"}),
    ],
)
def test_duplicate_natural_key_is_a_form_error(admin_client, field, value, existing):
    other = CandidateFactory(**existing)

    response = _candidate_add(admin_client, **{field: value})

    errors = _errors(response)
    assert f"(id {other.pk})" in " ".join(errors[field])
    assert not Candidate.objects.filter(full_name="Alan Turing").exists()


def test_duplicate_email_is_a_form_error(admin_client):
    owner = CandidateEmailFactory(email="ada@example.org").candidate_id

    response = _candidate_add(admin_client, emails=["ADA@example.org"])

    assert _errors(response) == {
        "emails-0-email": [f"ADA@example.org belongs to candidate id {owner}."]
    }
    assert not Candidate.objects.filter(full_name="Alan Turing").exists()


def test_same_email_twice_in_one_form_is_a_form_error(admin_client):
    response = _candidate_add(admin_client, emails=["a@example.org", "A@example.org"])

    assert _errors(response)["emails-1-email"] == ["This address is listed twice."]
    assert not CandidateEmail.objects.exists()


def test_change_candidate_keeps_one_primary_email(admin_client, admin_user):
    candidate = CandidateFactory(full_name="Ada")
    CandidateEmailFactory(candidate=candidate, email="old@example.org", is_primary=True)
    url = reverse("admin:hiring_candidate_change", args=[candidate.pk])
    data = form_data(admin_client.get(url))
    # when the recruiter deletes the primary address and adds a new one
    data |= {"full_name": "Ada Lovelace", "emails-0-DELETE": "on"}
    data |= {"emails-TOTAL_FORMS": 2, "emails-1-email": "new@example.org"}

    response = admin_client.post(url, data)

    assert response.status_code == 302, _errors(response)
    candidate.refresh_from_db()
    assert candidate.full_name == "Ada Lovelace"
    assert candidate.updated_by == admin_user
    assert list(candidate.emails.values_list("email", "is_primary")) == [("new@example.org", True)]


def test_change_candidate_to_a_taken_github_login_is_a_form_error(admin_client):
    CandidateFactory(github_login="taken")
    candidate = CandidateFactory(github_login="mine")
    url = reverse("admin:hiring_candidate_change", args=[candidate.pk])
    data = form_data(admin_client.get(url)) | {"github_login": "Taken"}

    errors = _errors(admin_client.post(url, data))

    assert "github_login" in errors
    candidate.refresh_from_db()
    assert candidate.github_login == "mine"


# --- applications ------------------------------------------------------------------------------


def test_add_application_goes_through_the_service(admin_client, admin_user):
    opening = OpeningFactory(role_profile=RoleProfile.objects.get(slug="mlops-engineer"))
    candidate = CandidateFactory()
    url = reverse("admin:hiring_application_add")
    data = form_data(admin_client.get(url)) | {
        "candidate": candidate.pk,
        "opening": opening.pk,
        "reason": "Strong Kubernetes talk",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, _errors(response)
    application = Application.objects.get(candidate=candidate, opening=opening)
    assert application.stage == Stage.SOURCED
    assert application.bar_version == BarVersion.objects.get(role_profile__slug="mlops-engineer")
    change = application.history.get()
    assert (change.to_stage, change.reason, change.actor) == (
        "sourced",
        "Strong Kubernetes talk",
        admin_user,
    )


@pytest.mark.parametrize("problem", ["already_applied", "closed_opening"])
def test_add_application_problems_are_form_errors(admin_client, problem):
    opening = OpeningFactory()
    candidate = CandidateFactory()
    if problem == "already_applied":
        services.application_create(candidate=candidate, opening=opening)
    else:
        opening.status = Opening.Status.CLOSED
        opening.save(update_fields=["status"])
    url = reverse("admin:hiring_application_add")
    data = form_data(admin_client.get(url)) | {"candidate": candidate.pk, "opening": opening.pk}

    errors = _errors(admin_client.post(url, data))

    expected = {"already_applied": "already applied", "closed_opening": "closed"}[problem]
    assert expected in " ".join(str(e) for e in errors.values())
    assert Application.objects.count() == (1 if problem == "already_applied" else 0)


# --- role profiles -----------------------------------------------------------------------------


def test_editing_bars_inline_publishes_a_new_version_and_old_applications_keep_theirs(
    admin_client, admin_user
):
    # given an application judged against version 1 of the ML engineer bars
    profile = RoleProfile.objects.get(slug="ml-engineer")
    application = services.application_create(
        candidate=CandidateFactory(), opening=OpeningFactory(role_profile=profile)
    )
    v1 = application.bar_version
    url = reverse("admin:hiring_roleprofile_change", args=[profile.pk])
    data = form_data(admin_client.get(url))
    analytics_sql = profile.bars.get(competency__slug="analytics-sql").competency_id
    row = next(i for i in range(9) if data[f"bars-{i}-competency"] == analytics_sql)

    # when the recruiter raises one bar inline
    data[f"bars-{row}-minimum_level"] = 3
    response = admin_client.post(url, data, follow=True)

    # then version 2 holds the new bar, version 1 and the application are untouched
    assert response.status_code == 200
    versions = list(profile.bar_versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].created_by == admin_user
    analytics = next(b for b in versions[1].bars if b["competency"] == "analytics-sql")
    assert analytics["minimum_level"] == 3
    assert versions[0].bars == v1.bars
    application.refresh_from_db()
    assert application.bar_version == v1
    assert "Bars published as version 2" in response.content.decode()


def test_saving_a_profile_without_bar_changes_creates_no_version(admin_client):
    profile = RoleProfile.objects.get(slug="data-scientist")
    url = reverse("admin:hiring_roleprofile_change", args=[profile.pk])
    data = form_data(admin_client.get(url)) | {"summary": "Analytics-minded data scientist."}

    assert admin_client.post(url, data).status_code == 302

    assert profile.bar_versions.count() == 1


def test_new_profile_lists_every_competency_and_saves_only_filled_rows(admin_client):
    url = reverse("admin:hiring_roleprofile_add")
    page = admin_client.get(url)
    data = form_data(page) | {
        "title": "Applied Scientist",
        "slug": "applied-scientist",
        "summary": "s",
        "delivers": "d",
        "typical_background": "t",
        "interview_loop": "screen, math",
        "sourcing_categories": "cs.LG, stat.ML",
    }
    assert data["bars-TOTAL_FORMS"] == 9
    data |= {"bars-0-minimum_level": 3, "bars-0-strength_level": 4, "bars-1-minimum_level": 2}

    response = admin_client.post(url, data)

    assert response.status_code == 302, _errors(response)
    profile = RoleProfile.objects.get(slug="applied-scientist")
    assert profile.interview_loop == ["screen", "math"]
    assert profile.sourcing_categories == ["cs.LG", "stat.ML"]
    assert profile.bars.count() == 2
    version = profile.bar_versions.get()
    assert version.number == 1
    assert [b["minimum_level"] for b in version.bars] == [3, 2]


@pytest.mark.parametrize(
    ("field", "value"),
    [("interview_loop", "screen, whiteboard"), ("interview_loop", "screen, screen")],
)
def test_profile_interview_loop_is_validated(admin_client, field, value):
    profile = RoleProfile.objects.get(slug="ml-engineer")
    url = reverse("admin:hiring_roleprofile_change", args=[profile.pk])
    data = form_data(admin_client.get(url)) | {field: value}

    assert field in _errors(admin_client.post(url, data))


def test_strength_below_the_minimum_is_a_form_error(admin_client):
    profile = RoleProfile.objects.get(slug="ml-engineer")
    url = reverse("admin:hiring_roleprofile_change", args=[profile.pk])
    data = form_data(admin_client.get(url)) | {"bars-0-minimum_level": 3}
    data["bars-0-strength_level"] = 2

    assert "bars-0-strength_level" in _errors(admin_client.post(url, data))
    assert profile.bar_versions.count() == 1


def test_application_opening_picker_leaves_out_closed_openings(admin_client):
    open_one = OpeningFactory(title="Speech researcher")
    OpeningFactory(title="Speech engineer", status=Opening.Status.CLOSED)

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "hiring",
            "model_name": "application",
            "field_name": "opening",
            "term": "Speech",
        },
    )

    assert [r["id"] for r in response.json()["results"]] == [str(open_one.pk)]
