"""Where e-mail goes, by environment: EMAIL_URL picks the SMTP server (plain, STARTTLS or TLS),
and `make run` writes each message to a file under var/mail/ unless EMAIL_URL is set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_NAMES = (
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "EMAIL_FILE_PATH",
    "DEFAULT_FROM_EMAIL",
    "HIREBAR_PRIVACY_CONTACT",
)
_PRINT = (
    "import json; from django.conf import settings as s; "
    f"print(json.dumps({{k: str(getattr(s, k, '')) for k in {_NAMES!r}}}))"
)


def _settings(module: str, **env: str) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "EMAIL_", "DEFAULT_FROM_EMAIL"))
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", _PRINT],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        check=True,
        text=True,
        timeout=120,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://mailer:s3cret@mail.example.org:25", "25", "False", "False"),
        ("smtp+tls://mailer:s3cret@mail.example.org:587", "587", "True", "False"),
        ("smtp+ssl://mailer:s3cret@mail.example.org:465", "465", "False", "True"),
    ],
)
def test_email_url_picks_the_smtp_server(url, port, tls, ssl):
    got = _settings("config.settings.base", EMAIL_URL=url, EMAIL_TIMEOUT="7")
    assert got["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (got["EMAIL_HOST"], got["EMAIL_PORT"]) == ("mail.example.org", port)
    assert (got["EMAIL_HOST_USER"], got["EMAIL_HOST_PASSWORD"]) == ("mailer", "s3cret")
    assert (got["EMAIL_USE_TLS"], got["EMAIL_USE_SSL"]) == (tls, ssl)
    assert got["EMAIL_TIMEOUT"] == "7.0"


def test_local_settings_write_each_message_under_var_mail():
    got = _settings(
        "config.settings.local", DEFAULT_FROM_EMAIL="Example AI hiring <jobs@example.ai>"
    )
    assert got["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert got["EMAIL_FILE_PATH"] == str(ROOT / "var" / "mail")
    assert got["EMAIL_TIMEOUT"] == "10.0"
    assert got["HIREBAR_PRIVACY_CONTACT"] == "jobs@example.ai"
    # ... and a real server when one is named
    named = _settings("config.settings.local", EMAIL_URL="smtp://127.0.0.1:2525")
    assert named["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
