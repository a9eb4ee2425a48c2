"""The test database as a URL, for the processes tests start (a Celery worker, gunicorn) so they
connect to the very database the test is using."""

from __future__ import annotations

from urllib.parse import quote

from django.db import connection


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
