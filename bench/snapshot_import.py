"""arXiv snapshot import: 100,000 records in the snapshot's JSON-lines format, generated from the
shape of the real sample (../shared/fixtures/arxiv-snapshot: same keys, title and abstract
lengths, version lists, authors_parsed), with ML categories and a pool of author names that
repeat across papers the way real authors do, so disambiguation has real work.

Reports records/s of the full import (parse, filter, disambiguate, upsert papers, people and
authorships in 5,000-record transactions), the rate of plain ``json.loads`` over the same file
in the same run and the ratio of the two, and the process's peak RSS. Each figure is the median
of ``BENCH_SNAPSHOT_REPEATS`` runs (3): this machine's speed drifts within minutes.

``make bench`` runs it through ``bench/__main__.py``; alone: ``python -m bench.snapshot_import``
(PostgreSQL from BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/hirebar_bench)."""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

RECORDS = int(os.environ.get("BENCH_SNAPSHOT_RECORDS", "100000"))
REPEATS = max(1, int(os.environ.get("BENCH_SNAPSHOT_REPEATS", "3")))
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (
    ROOT
    / "tests"
    / "fixtures"
    / "recorded"
    / "arxiv-snapshot"
    / "arxiv-metadata-oai-snapshot.head100.jsonl"
)
CATEGORIES = ["cs.LG", "cs.CV", "cs.CL", "stat.ML", "cs.AI", "cs.RO", "cs.IR", "eess.IV"]
FIRST = [
    "Wei", "Ana", "Yann", "Fei", "Ian", "Chelsea", "Pieter", "Percy", "Jure", "Daphne", "Sergey",
    "Oriol", "Kaiming", "Ilya", "Quoc", "Hugo", "Joelle", "Shakir", "Raia", "Yoshua", "Zoubin",
    "Tim", "Aditi", "Noam", "Lukasz", "Jakob", "Niki", "Llion", "Aidan", "Ashish", "Dzmitry",
]  # fmt: skip
LAST = [
    "Zhang", "Wang", "Li", "Liu", "Chen", "Smith", "Garcia", "Müller", "Kim", "Nguyen", "Singh",
    "Kumar", "Rossi", "Novak", "Silva", "Sato", "Ivanov", "Cohen", "Khan", "Dubois", "Larsen",
    "Okafor", "Haddad", "Petrov", "Jensen", "Tanaka", "Moreau", "Costa", "Yilmaz", "Schmidt",
    "Kowalski", "Andersson", "Popescu", "Horvat", "Fischer", "Bauer", "Ricci", "Lopez", "Park",
]  # fmt: skip


def _people(rng: random.Random, count: int) -> list[tuple[str, str]]:
    names: set[tuple[str, str]] = set()
    while len(names) < count:
        first = rng.choice(FIRST)
        middle = rng.choice(["", "", "", f" {rng.choice('ABCDEFGHJKLMNPRST')}."])
        names.add((f"{first}{middle}", f"{rng.choice(LAST)}{rng.randint(1, 400)}"))
    return sorted(names)


def generate(path: Path, records: int, seed: int = 7) -> int:
    """Write ``records`` lines; returns the file size in bytes."""
    templates = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
    rng = random.Random(seed)
    people = _people(rng, max(1000, records // 3))
    with path.open("w") as out:
        for i in range(records):
            record: dict[str, Any] = dict(templates[i % len(templates)])
            year, month = 18 + (i * 7 // records), 1 + i % 12
            record["id"] = f"{year:02d}{month:02d}.{i % 100000:05d}"
            cats = rng.sample(CATEGORIES, rng.randint(1, 3))
            record["categories"] = " ".join(cats)
            authors = rng.sample(people, rng.choice([1, 2, 3, 3, 4, 4, 5, 6, 8]))
            record["authors"] = ", ".join(f"{f} {last}" for f, last in authors)
            record["authors_parsed"] = [[last, f, ""] for f, last in authors]
            record["versions"] = [
                {"version": "v1", "created": f"Mon, {1 + i % 28} Jan 20{year} 10:00:00 GMT"}
            ]
            record["comments"] = rng.choice(["", "Accepted at NeurIPS 2023", "12 pages"])
            out.write(json.dumps(record) + "\n")
    return path.stat().st_size


def _json_rate(path: Path) -> float:
    started = time.perf_counter()
    count = 0
    with path.open("rb") as lines:
        for line in lines:
            json.loads(line)
            count += 1
    return count / (time.perf_counter() - started)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _clear_tables() -> None:
    from django.db import connection

    from sourcing.models import Authorship, Paper, Person, Prospect, SourcingRun

    tables = [m._meta.db_table for m in (Prospect, Authorship, Person, Paper, SourcingRun)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(tables) + " CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names


def _import_once(path: Path) -> tuple[float, int]:
    """One import into emptied tables: ``(seconds, records written)``."""
    from sourcing.arxiv.runner import sourcing_run_execute
    from sourcing.launch import sourcing_run_create
    from sourcing.models import SourcingRun

    _clear_tables()
    run = sourcing_run_create(
        kind=SourcingRun.Kind.SNAPSHOT, parameters={"path": str(path), "categories": ["cs"]}
    )
    started = time.perf_counter()
    outcome = sourcing_run_execute(run_id=run.pk)
    elapsed = time.perf_counter() - started
    run.refresh_from_db()
    if outcome != "succeeded":
        raise SystemExit(f"import failed: {run.error}")
    return elapsed, run.papers_count


def run() -> dict[str, object]:
    from django.db import connection

    from sourcing.models import Authorship, Person

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "snapshot.jsonl"
        size = generate(path, RECORDS)
        rss_before = _peak_rss_mb()
        # This machine's speed drifts by a fifth within minutes: each figure is the median of
        # REPEATS runs, json.loads measured before each import, the spread shown beside it.
        imports, json_rates = [], []
        for _ in range(REPEATS):
            json_rates.append(_json_rate(path))
            imports.append(_import_once(path))
    elapsed = statistics.median(seconds for seconds, _ in imports)
    written = imports[0][1]
    json_rate = statistics.median(json_rates)
    # The file's records over the import's time, like json.loads' rate over the same file: the
    # ratio then compares the two over the same records. Records written are reported as well.
    rate = RECORDS / elapsed
    rates = sorted(RECORDS / seconds for seconds, _ in imports)
    return {
        "database": connection.vendor,
        "records": written,
        "records read / written / dropped by the category filter": (
            f"{RECORDS:,} / {written:,} / {RECORDS - written:,}"
        ),
        "file size": f"{size / 1e6:.0f} MB",
        "people / authorships": f"{Person.objects.count()} / {Authorship.objects.count()}",
        "import time": (
            f"{elapsed:.1f} s (median of {REPEATS}: "
            + ", ".join(f"{seconds:.1f}" for seconds, _ in imports)
            + ")"
        ),
        "import rate": (
            f"{rate:,.0f} records read/s (goal ≥ 10,000; runs {rates[0]:,.0f} to "
            f"{rates[-1]:,.0f}); {written / elapsed:,.0f} records written/s"
        ),
        "json.loads rate": f"{json_rate:,.0f} records/s (median of {REPEATS})",
        "ratio to json.loads": f"{100 * rate / json_rate:.0f}% (goal ≥ 40%)",
        "peak RSS": (
            f"{_peak_rss_mb():.0f} MB over the {REPEATS} imports "
            f"(before {rss_before:.0f} MB; goal < 300)"
        ),
    }


if __name__ == "__main__":
    from bench import database

    database.prepare()
    for key, value in run().items():
        print(f"{key}: {value}")
