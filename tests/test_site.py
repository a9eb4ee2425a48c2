"""Site-wide plumbing as a new user meets it under `make run` (DEBUG on): API paths work with and
without their trailing slash for every method, errors are JSON under /api/ and the site's own
pages elsewhere (never Django's debug page listing the URL map), the root is a landing page,
and logging prints each line once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from hiring.models import Application, StageChange
from hiring.services import application_create
from tests.hiring.factories import (
    CandidateFactory,
    OpeningFactory,
    RoleBarFactory,
    TokenFactory,
    integration,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def make_run(settings: Any) -> None:
    """What `make run` has: DEBUG and APPEND_SLASH on."""
    settings.DEBUG = True
    settings.APPEND_SLASH = True


@pytest.fixture
def ats() -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=integration()).key}")
    return client


@pytest.fixture
def application() -> Application:
    opening = OpeningFactory(role_profile=RoleBarFactory().role_profile)
    return application_create(candidate=CandidateFactory(full_name="Ada"), opening=opening)


# --- optional trailing slash --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("slash", ["", "/"])
def test_a_transition_posted_with_or_without_the_slash_moves_the_application(
    make_run, ats, application, slash
):
    # when the ATS posts the transition, with or without the trailing slash
    response = ats.post(
        f"/api/v1/applications/{application.pk}/transitions{slash}",
        {"to_stage": "contacted", "reason": "emailed"},
        format="json",
    )

    # then the move is made (not a redirect dropping the body, nor a DEBUG error page)
    assert response.status_code == 200, response.content[:300]
    application.refresh_from_db()
    assert application.stage == "contacted"
    assert StageChange.objects.filter(application=application, reason="emailed").exists()


@pytest.mark.django_db
def test_patch_put_and_get_work_without_the_slash(make_run, ats, application, admin_user):
    opening = application.opening

    # PATCH an opening
    response = ats.patch(f"/api/v1/openings/{opening.pk}", {"headcount": 3}, format="json")
    assert response.status_code == 200, response.content[:300]
    opening.refresh_from_db()
    assert opening.headcount == 3

    # PUT (upsert) a candidate by the ATS's id
    response = ats.put(
        "/api/v1/candidates/by-external-id/ATS-77", {"full_name": "Grace"}, format="json"
    )
    assert response.status_code in (200, 201), response.content[:300]
    assert response.json()["full_name"] == "Grace"

    # GET lists of every app's routes (the mechanism is not per-app)
    admin_api = APIClient()
    admin_api.force_authenticate(admin_user)
    for path in ("/api/v1/sourcing-runs", "/api/v1/roles", "/api/v1/interviews"):
        response = admin_api.get(path)
        assert response.status_code == 200, (path, response.content[:200])
        assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_pages_still_redirect_to_the_slashed_url(make_run, admin_client):
    response = admin_client.get("/admin/hiring/application")
    assert response.status_code == 301
    assert response["Location"] == "/admin/hiring/application/"


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_api_url_is_a_json_404(settings, ats, debug):
    settings.DEBUG = debug
    response = ats.post("/api/v1/no-such-thing/", {}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/take-home/not-a-real-token/", "/interviewer/interviews/999999/", "/nowhere/"]
)
def test_pages_show_the_sites_404_not_the_url_map_in_debug(make_run, admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "URLconf" not in body
    assert "api/v1/" not in body  # the debug page lists the URL patterns
    assert 'href="/"' in body


@pytest.mark.django_db
def test_an_api_error_in_debug_is_json_not_a_traceback(make_run, ats, application, monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("hiring.apis.applications.services.application_transition", broken)
    client = ats
    client.raise_request_exception = False
    response = client.post(
        f"/api/v1/applications/{application.pk}/transitions/", {"to_stage": "contacted"}
    )
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error."}


@pytest.mark.django_db
def test_a_page_error_in_production_shows_the_sites_500_page(settings, admin_client, monkeypatch):
    settings.DEBUG = False

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("interviews.views.interviewer.selectors.interviews_assigned_to", broken)
    admin_client.raise_request_exception = False
    response = admin_client.get("/interviewer/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


# --- landing page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_site_root_points_to_the_admin_the_interviewer_pages_and_the_api_docs():
    response = Client().get("/")
    assert response.status_code == 200
    body = response.content.decode()
    for href in ('href="/admin/"', 'href="/interviewer/"', 'href="/api/docs/"'):
        assert href in body


# --- logging ------------------------------------------------------------------------------------


def test_each_log_line_is_printed_once_under_make_run():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('marker-%s', 42)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,  # the tests read the exit code themselves
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("marker-42") == 1, result.stderr


def test_the_package_metadata_uses_an_spdx_license():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'license = "MIT"' in text
    assert '"setuptools>=77"' in text


def test_the_site_answers_the_browsers_favicon_request():
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg ")
    assert "max-age=86400" in response["Cache-Control"]
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405
