"""The ATS's hottest call: the filtered, paginated candidate list, through gunicorn on loopback,
over 100k candidates and 100k applications in PostgreSQL.

Reports p50/p99 latency for one client, requests/s for 8 concurrent clients, and the number of
SQL queries one request runs (counted in-process on the same URL)."""

from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CANDIDATES = 100_000
OPENINGS = 40
PORT = 8765
PATH = "/api/v1/candidates/?source=arxiv&notice_state=pending&page_size=50"
SINGLE_REQUESTS = 1_000
CONCURRENT_CLIENTS = 8
CONCURRENT_SECONDS = 15.0
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "3"))


def seed() -> None:
    """Insert the rows once; later runs reuse them (the counts are checked, not assumed)."""
    from django.db import transaction
    from django.utils import timezone

    from hiring.models import Application, Candidate, CandidateEmail, Opening, RoleProfile
    from hiring.services import role_profile_current_bar_version

    if Candidate.objects.count() >= CANDIDATES and Application.objects.count() >= CANDIDATES:
        return
    print(f"seeding {CANDIDATES:,} candidates and applications ...", flush=True)
    profiles = list(RoleProfile.objects.all())
    with transaction.atomic():
        Application.objects.all().delete()
        CandidateEmail.objects.all().delete()
        Candidate.objects.all().delete()
        Opening.objects.filter(title__startswith="Bench ").delete()
        openings = [
            Opening.objects.create(
                title=f"Bench opening {i}", role_profile=profiles[i % len(profiles)], team="Bench"
            )
            for i in range(OPENINGS)
        ]
        versions = {p.pk: role_profile_current_bar_version(role_profile=p) for p in profiles}
    sources = ["arxiv", "github", "ats", "referral", "manual"]
    notices = ["pending", "sent", "not_required"]
    stages = ["sourced", "contacted", "screen", "onsite", "rejected"]
    now = timezone.now()
    batch = 5_000
    for start in range(0, CANDIDATES, batch):
        with transaction.atomic():
            candidates = Candidate.objects.bulk_create(
                Candidate(
                    full_name=f"Bench Person {i}",
                    github_login=f"bench-{i}" if i % 3 == 0 else None,
                    external_id=f"ats-{i}" if i % 2 == 0 else None,
                    source=sources[i % len(sources)],
                    notice_state=notices[i % len(notices)],
                    arxiv_name_forms=[f"Person {i}, Bench"],
                )
                for i in range(start, min(start + batch, CANDIDATES))
            )
            CandidateEmail.objects.bulk_create(
                CandidateEmail(candidate=c, email=f"bench{c.pk}@example.org", is_primary=True)
                for c in candidates
            )
            Application.objects.bulk_create(
                Application(
                    candidate=c,
                    opening=openings[c.pk % OPENINGS],
                    bar_version=versions[openings[c.pk % OPENINGS].role_profile_id],
                    stage=stages[c.pk % len(stages)],
                    rejection_reason="below_bar"
                    if stages[c.pk % len(stages)] == "rejected"
                    else "",
                    stage_changed_at=now,
                )
                for c in candidates
            )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def token() -> str:
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from hiring import roles

    roles.ensure_default_groups()
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(username="bench-ats")
    user.groups.add(Group.objects.get(name=roles.ATS_INTEGRATIONS))
    return str(Token.objects.get_or_create(user=user)[0].key)


def queries_per_request(key: str) -> int:
    """Counted in this process, with the token's credentials cached as the server has them."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_HOST="127.0.0.1")
    with override_settings(API_CREDENTIALS_CACHE=True):
        client.get(PATH)  # warm caches (content types, credentials) the way a running server has
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(PATH)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def _get(key: str) -> float:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    conn.request("GET", PATH, headers={"Authorization": f"Token {key}", "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {body[:200]!r}")
    return time.perf_counter() - started


def _client(key: str, deadline: float, out: Any) -> None:
    done = 0
    while time.perf_counter() < deadline:
        _get(key)
        done += 1
    out.put(done)


def _rps_with_python(key: str) -> float:
    """Eight client processes; they share the two cores with the server, so this understates
    what the server can do (wrk, when installed, costs far less per request)."""
    queue: Any = multiprocessing.Queue()
    deadline = time.perf_counter() + CONCURRENT_SECONDS
    clients = [
        multiprocessing.Process(target=_client, args=(key, deadline, queue))
        for _ in range(CONCURRENT_CLIENTS)
    ]
    started = time.perf_counter()
    for p in clients:
        p.start()
    total = sum(queue.get() for _ in clients)
    for p in clients:
        p.join()
    return float(total / (time.perf_counter() - started))


def _rps_with_wrk(wrk: str, key: str) -> float:
    result = subprocess.run(  # noqa: S603
        [
            wrk,
            "-t2",
            f"-c{CONCURRENT_CLIENTS}",
            f"-d{int(CONCURRENT_SECONDS)}s",
            "-H",
            f"Authorization: Token {key}",
            f"http://127.0.0.1:{PORT}{PATH}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=CONCURRENT_SECONDS + 60,
    )
    if "Non-2xx" in result.stdout:
        raise RuntimeError(f"wrk saw errors:\n{result.stdout}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    if match is None:
        raise RuntimeError(f"unexpected wrk output:\n{result.stdout}")
    return float(match.group(1))


def _wait_for_port() -> None:
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", PORT)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def run() -> dict[str, Any]:
    seed()
    key = token()
    queries = queries_per_request(key)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-used-elsewhere-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Production keeps the API's credentials in Redis (config.settings.production).
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603
        [
            str(gunicorn),
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        _wait_for_port()
        for _ in range(50 * WORKERS):  # warm every worker's connection and imports
            _get(key)
        latencies = sorted(_get(key) for _ in range(SINGLE_REQUESTS))
        wrk = shutil.which("wrk")
        rps, load_generator = (
            (_rps_with_wrk(wrk, key), "wrk") if wrk else (_rps_with_python(key), "python")
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return {
        "request": f"GET {PATH}",
        "rows": f"{CANDIDATES:,} candidates, {CANDIDATES:,} applications",
        "gunicorn_workers": WORKERS,
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "rps_8_clients": round(rps, 1),
        "load_generator": load_generator,
        "queries_per_request": queries,
    }
