"""Token credentials kept between requests (``core.api.credentials``): loaded once, then no
query; and a change to an account counts on the very next request. On SQLite with the test
settings' in-process cache; across processes with a gunicorn server on PostgreSQL and Redis."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hiring import roles
from tests.database import database_url
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    OpeningFactory,
    TokenFactory,
    UserFactory,
    integration,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/"
ROOT = Path(__file__).resolve().parents[2]


def api(token: Token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def add_candidate() -> Permission:
    return Permission.objects.get(content_type__app_label="hiring", codename="add_candidate")


def page_queries() -> int:
    """A page of candidates carries their addresses on PostgreSQL; SQLite reads them with a
    second query."""
    return 1 if connection.vendor == "postgresql" else 2


def test_credentials_are_read_once_then_served_from_the_cache(django_assert_num_queries):
    # given a token never used
    client = api(TokenFactory(user=integration()))
    CandidateFactory()

    # when / then: the first request reads the token with its user, the user's and the group
    # permissions; the next ones only the page
    with django_assert_num_queries(3 + page_queries()):
        assert client.get(URL).status_code == 200
    with django_assert_num_queries(page_queries()):
        assert client.get(URL).status_code == 200


def test_a_revoked_group_permission_is_a_403_on_the_next_request():
    # given an integration whose credentials are cached, allowed to create candidates
    client = api(TokenFactory(user=integration()))
    assert client.get(URL).status_code == 200

    # when its group loses the permission
    Group.objects.get(name=roles.ATS_INTEGRATIONS).permissions.remove(add_candidate())

    # then
    response = client.post(URL, {"full_name": "Ada"}, format="json")
    assert response.status_code == 403, response.json()


def test_a_revoked_user_permission_is_a_403_on_the_next_request():
    # given an account allowed to create candidates by a permission of its own
    user = UserFactory()
    user.user_permissions.add(add_candidate())
    client = api(TokenFactory(user=user))
    assert client.post(URL, {"full_name": "Ada"}, format="json").status_code == 201

    # when
    user.user_permissions.remove(add_candidate())

    # then
    assert client.post(URL, {"full_name": "Bob"}, format="json").status_code == 403


def test_leaving_the_group_narrows_the_list_on_the_next_request():
    # given an integration that sees every candidate, and a candidate on nobody's opening
    user = integration()
    client = api(TokenFactory(user=user))
    application = ApplicationFactory(opening=OpeningFactory())
    assert [row["id"] for row in client.get(URL).json()["results"]] == [application.candidate_id]

    # when the account leaves the group (keeping its token)
    user.groups.clear()

    # then it sees what any account without hiring permissions sees: its own openings only
    assert client.get(URL).json()["results"] == []


def test_a_deactivated_user_is_a_401_on_the_next_request():
    # given
    user = integration()
    client = api(TokenFactory(user=user))
    assert client.get(URL).status_code == 200

    # when
    user.is_active = False
    user.save(update_fields=["is_active"])

    # then
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


def test_a_deleted_token_is_a_401_on_the_next_request():
    # given
    token = TokenFactory(user=integration())
    client = api(token)
    assert client.get(URL).status_code == 200

    # when
    Token.objects.filter(pk=token.pk).delete()

    # then
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_a_token_deleted_in_the_admin_is_a_401_on_the_next_request(admin_client):
    # given (the admin lists tokens through DRF's TokenProxy model)
    token = TokenFactory(user=integration())
    client = api(token)
    assert client.get(URL).status_code == 200

    # when a recruiter deletes it on the admin page
    response = admin_client.post(
        f"/admin/authtoken/tokenproxy/{token.user_id}/delete/", {"post": "yes"}
    )

    # then
    assert response.status_code == 302
    assert client.get(URL).status_code == 401


def test_a_deleted_user_is_a_401_on_the_next_request():
    # given
    token = TokenFactory(user=integration())
    client = api(token)
    assert client.get(URL).status_code == 200

    # when
    token.user.delete()

    # then
    assert client.get(URL).status_code == 401


def test_an_interactive_login_keeps_the_cached_credentials(client, django_assert_num_queries):
    # given cached credentials
    CandidateFactory()
    user = integration()
    api_client = api(TokenFactory(user=user))
    api_client.get(URL)

    # when the same person signs in to the admin (which saves last_login)
    client.force_login(user)

    # then the API still runs no query for the token
    with django_assert_num_queries(page_queries()):
        assert api_client.get(URL).status_code == 200


def test_without_the_cache_every_request_reads_the_credentials(settings, django_assert_num_queries):
    # given the setting `make run` has (its cache is per process)
    settings.API_CREDENTIALS_CACHE = False
    client = api(TokenFactory(user=integration()))
    CandidateFactory()
    client.get(URL)

    # when / then: the token with its user, the user's and the group permissions, every time
    with django_assert_num_queries(3 + page_queries()):
        assert client.get(URL).status_code == 200


def test_an_unreachable_cache_costs_queries_not_requests(settings):
    # given a cache nobody answers on (a closed port)
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }

    # when / then: accounts can still be changed, and the API reads them from the database
    user = integration()
    client = api(TokenFactory(user=user))
    assert client.get(URL).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(URL).status_code == 401


# --- across processes: a gunicorn server with Redis, changes made by this process ---------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Server:
    def __init__(self, port: int) -> None:
        self.port = port

    def request(self, method: str, key: str, body: dict[str, Any] | None = None) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}
        conn.request(method, URL, body=json.dumps(body) if body else None, headers=headers)
        status = conn.getresponse().status
        conn.close()
        return status


@pytest.fixture
def gunicorn(postgres: None, redis_url: str, settings: Any, tmp_path: Path) -> Any:
    """A production server on the test database; this process shares its cache, as every process
    that changes accounts must."""
    settings.CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": redis_url}}
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "test-only-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(),
        "CACHE_URL": redis_url,
    }
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application",
         "-b", f"127.0.0.1:{port}", "-w", "2", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                raise AssertionError(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield _Server(port)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.postgres
@pytest.mark.redis
# Real commits, so the server sees the rows; serialized_rollback restores the seeded data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_changes_made_in_another_process_count_on_the_servers_next_request(gunicorn):
    # given three integrations whose credentials the server's workers have cached (two workers,
    # several requests each, so whichever worker answers next has them)
    revoked, deactivated, deleted = (TokenFactory(user=integration()) for _ in range(3))
    for token in (revoked, deactivated, deleted):
        assert [gunicorn.request("GET", token.key) for _ in range(6)] == [200] * 6

    # when this process revokes a permission, deactivates a user and deletes a token
    Group.objects.get(name=roles.ATS_INTEGRATIONS).permissions.remove(add_candidate())
    deactivated.user.is_active = False
    deactivated.user.save(update_fields=["is_active"])
    Token.objects.filter(pk=deleted.pk).delete()

    # then the server's very next requests see each change
    assert gunicorn.request("POST", revoked.key, {"full_name": "Ada"}) == 403
    assert gunicorn.request("GET", revoked.key) == 200
    assert [gunicorn.request("GET", deactivated.key) for _ in range(4)] == [401] * 4
    assert [gunicorn.request("GET", deleted.key) for _ in range(4)] == [401] * 4
