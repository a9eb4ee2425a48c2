"""The benchmark database: PostgreSQL from DATABASE_URL (default: a `hirebar_bench` database on
the local server), created if missing and migrated, so `make bench` needs no set-up."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hirebar_bench"


def prepare() -> str:
    """Point Django at the benchmark database (creating it when absent) and migrate it."""
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit("The benchmarks measure PostgreSQL: set BENCH_DATABASE_URL=postgres://...")
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return url
