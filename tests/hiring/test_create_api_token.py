"""``manage.py create_api_token``: one token per integration account."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from hiring import roles
from tests.hiring.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_create_user_makes_an_ats_integration_whose_token_works():
    # when
    key = run("ats-bot", "--create-user")

    # then the key alone is printed, the user is an integration, and the API accepts it
    user = get_user_model().objects.get(username="ats-bot")
    assert user.groups.filter(name=roles.ATS_INTEGRATIONS).exists()
    assert not user.has_usable_password()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/candidates/").status_code == 200
    assert client.post("/api/v1/candidates/", {"full_name": "Ada"}).status_code == 201


def test_running_it_again_prints_the_same_token():
    # given
    first = run("ats-bot", "--create-user")

    # when
    second = run("ats-bot")
    third = run("ats-bot", "--create-user")

    # then
    assert first == second == third
    assert get_user_model().objects.filter(username="ats-bot").count() == 1


def test_existing_user_gets_a_token_without_changing_their_groups():
    # given
    UserFactory(username="script")

    # when
    key = run("script")

    # then
    assert len(key) == 40
    assert not get_user_model().objects.get(username="script").groups.exists()


def test_unknown_user_without_create_user_is_an_error():
    # when / then
    with pytest.raises(CommandError, match="--create-user"):
        run("nobody")
    assert not get_user_model().objects.filter(username="nobody").exists()


def test_inactive_user_is_an_error():
    UserFactory(username="gone", is_active=False)
    with pytest.raises(CommandError, match="inactive"):
        run("gone")


def test_invalid_username_is_an_error():
    with pytest.raises(CommandError):
        run("no spaces allowed", "--create-user")
    assert not get_user_model().objects.filter(username="no spaces allowed").exists()
