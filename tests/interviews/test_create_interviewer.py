"""`manage.py create_interviewer`, as docs/interviews.md tells a new team to run it: the account
signs in at /interviewer/ and sees the interviews it is scheduled on."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from hiring import roles
from tests.interviews.factories import InterviewFactory

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("create_interviewer", *args, stdout=out)
    return out.getvalue()


def test_creates_an_interviewer_who_can_sign_in_with_the_printed_password(client):
    output = _run("ivy", "--email", "ivy@example.org", "--first-name", "Ivy")
    password = output.split("Password (shown only now): ")[1].strip()
    user = get_user_model().objects.get(username="ivy")
    assert list(user.groups.values_list("name", flat=True)) == [roles.INTERVIEWERS]
    assert not user.is_staff
    InterviewFactory(interviewers=[user])

    response = client.post(
        "/interviewer/login/", {"username": "ivy", "password": password}, follow=True
    )
    assert response.status_code == 200
    assert len(response.context["upcoming"]) == 1


def test_an_existing_user_is_added_to_the_group_and_keeps_their_password():
    user = get_user_model().objects.create_user("olga", password="kept-password-1")
    output = _run("olga")
    assert "added to" in output
    assert "Password" not in output
    user.refresh_from_db()
    assert user.check_password("kept-password-1")
    assert user.groups.filter(name=roles.INTERVIEWERS).exists()


def test_a_bad_username_is_a_clear_error_and_creates_nobody():
    with pytest.raises(CommandError, match="username"):
        _run("not a valid name!")
    assert not get_user_model().objects.exists()
