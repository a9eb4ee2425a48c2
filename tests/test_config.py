"""The deployment contract: production refuses to start without its secrets and passes Django's
deployment checks; `make run`'s admin bootstrap happens once."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        check=False,  # the tests read the exit code themselves
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env={"DJANGO_SETTINGS_MODULE": "config.settings.production"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_production_passes_the_deployment_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-looking-production-secret-0123456789",
            "DJANGO_ALLOWED_HOSTS": "hirebar.example.org",
            "CACHE_URL": "redis://redis:6379/2",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_cache_its_processes_do_not_share():
    # The API keeps credentials in the cache; a per-process one would hide revocations.
    base = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-looking-production-secret-0123456789",
        "DJANGO_ALLOWED_HOSTS": "hirebar.example.org",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
    }
    for cache_url in ("", "locmemcache://"):
        result = _manage("check", env={**base, "CACHE_URL": cache_url})
        assert result.returncode != 0
        assert "must name a Redis server shared by every process" in result.stderr


@pytest.mark.django_db
def test_local_admin_is_created_once_with_a_printed_password(capsys, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "boss")
    call_command("ensure_local_admin")
    first = capsys.readouterr().out
    call_command("ensure_local_admin")
    second = capsys.readouterr().out
    assert "Password (shown only now):" in first
    assert "already exists" in second
    assert "Password" not in second
    user = get_user_model().objects.get(username="boss")
    password = first.split("Password (shown only now):")[1].strip()
    assert user.is_superuser
    assert user.check_password(password)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HIREBAR_RETENTION_CLOSED_MONTHS", "-3"),
        ("HIREBAR_RETENTION_CLOSED_MONTHS", "twelve"),
        ("HIREBAR_RETENTION_SOURCED_MONTHS", "0"),
        ("HIREBAR_RETENTION_SOURCED_MONTHS", "1.5"),
        ("HIREBAR_NOTICE_SEND_AHEAD_DAYS", "-1"),
        ("SOURCING_STAGE_KEEP_DAYS", "-2"),
        ("SOURCING_STAGE_KEEP_DAYS", "a week"),
    ],
)
def test_retention_settings_that_make_no_sense_stop_the_service(name: str, value: str) -> None:
    result = _manage("check", env={"DJANGO_SETTINGS_MODULE": "config.settings.local", name: value})
    assert result.returncode != 0
    assert f"{name} must be a whole number" in result.stderr
    assert repr(value) in result.stderr
