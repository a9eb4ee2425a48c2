"""arXiv snapshot import: files in the snapshot's JSON-lines format, generated from the shape of
the real sample (../shared/fixtures/arxiv-snapshot: same keys, titles, abstracts, version
lists, authors_parsed), with ML categories and author names as skewed as arXiv's
(``bench.snapshot_names``), at each size of ``BENCH_SNAPSHOT_RECORDS`` (100,000 and 800,000).

Per size: the import's time and records read per second (the median of ``BENCH_SNAPSHOT_REPEATS``
imports at the first size, ``BENCH_SNAPSHOT_LARGE_REPEATS`` at the others; each in a process of
its own, for its own peak RSS), PostgreSQL's floor (``postgres_floor``: the rows the import
produced COPYed back into the same tables) and the ratio of the two; then the rate at the last
size over the rate at the first.

``make bench`` runs it through ``bench/__main__.py``; alone: ``python -m bench.snapshot_import``
(PostgreSQL from BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/hirebar_bench).
The whole snapshot: ``BENCH_SNAPSHOT_RECORDS=2700000 BENCH_SNAPSHOT_FLOOR=0``.
``BENCH_IMPORT_PYTHON``: the interpreter the imports run in (one with the project installed;
``make bench`` sets it, see the Makefile); the imports then run in this one too, for comparison."""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import psycopg

from bench.snapshot_names import NamePool

# Sizes measured in one run: the rate at the last is compared with the rate at the first.
SIZES = [int(size) for size in os.environ.get("BENCH_SNAPSHOT_RECORDS", "100000,800000").split(",")]
REPEATS = max(1, int(os.environ.get("BENCH_SNAPSHOT_REPEATS", "3")))
# Whether to measure PostgreSQL's floor too (a 2.7-million-record snapshot's takes long).
FLOOR = os.environ.get("BENCH_SNAPSHOT_FLOOR", "1") != "0"
# Imports of each larger size (minutes each).
LARGE_REPEATS = max(1, int(os.environ.get("BENCH_SNAPSHOT_LARGE_REPEATS", "1")))
# Whether to import each size once more with the second pass's helper process on.
HELPER = os.environ.get("BENCH_SNAPSHOT_HELPER", "1") != "0"
# The interpreter the imports run in (with the project installed): ``make bench`` names one built
# with PGO and LTO, as production's image's is, when the machine has one (see the Makefile). The
# imports then run in this interpreter too, alternately, for comparison.
IMPORT_PYTHON = os.environ.get("BENCH_IMPORT_PYTHON") or sys.executable
# A fixed pure-Python workload (dictionary and string work, as the import's), timed in each
# interpreter: how fast the interpreter and the machine ran Python in this run.
_CALIBRATION = """
import time
started = time.process_time()
counts = {}
for i in range(3_000_000):
    key = "k" + str(i % 5000)
    counts[key] = counts.get(key, 0) + 1
print(time.process_time() - started)
"""
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (
    ROOT
    / "tests"
    / "fixtures"
    / "recorded"
    / "arxiv-snapshot"
    / "arxiv-metadata-oai-snapshot.head100.jsonl"
)
NOTE = """
The generated snapshot's author names (`bench/snapshot_names.py`) are as skewed as arXiv's. What
is public: China's 2020 census puts Wang, Li, Zhang, Liu and Chen at ~30 % of its population,
and authors of Chinese origin write roughly a third of recent cs/stat papers on arXiv, so those
five surnames carry ~10 % of author mentions; Korean (Kim, Lee, Park) and Indian (Singh, Kumar)
surnames a few per cent more. The real sample (the snapshot's first 100 lines, 2007, mostly
physics and maths) already has Chen, Li and Wang among its most frequent surnames (7 of 225
mentions), and a third of its names give initials only. So 26 head surnames carry 26 % of
mentions (Wang 2.6 %, Zhang and Li 2.4 %, Liu and Chen 1.9 %, ...), the rest follows a Zipf law
over made-up surnames (a tail that grows with the file); given names are Zipf-distributed too
(pinyin ones for the Chinese and Korean surnames: "Wei Wang" is many people), 15 % of people
write initials only and 20 % add a middle initial; people are drawn with a Zipf-like
productivity, and different people may share a name. On 100,000 records the five surnames
carry 11.4 % of the 399,558 mentions and the largest blocking keys (`wang|j`, `wang|y`, `li|w`)
~2,000-2,400 mentions each.

**The whole snapshot:** `BENCH_SNAPSHOT_RECORDS=2700000 BENCH_SNAPSHOT_FLOOR=0
BENCH_SNAPSHOT_REPEATS=1 BENCH_SNAPSHOT_HELPER=0 .venv/bench/bin/python -m bench.snapshot_import`
(a 3.9 GB file, generated in ~1 min; `.venv/bin/python` for .venv's interpreter). Measured
alone on 2026-12-06 01:24 UTC, in the interpreter built with PGO and LTO: 2,700,000 records
(2,443,170 written) in one run in **279 s** (9,677 records read/s), peak RSS **258 MB**
(`ru_maxrss`: the second pass's largest keys, with the next chunk's rows selected ahead),
finding 1,761,079 people and 9,772,623 authorships (as session 14's run did: the same
decisions). The 100,000-record imports run just before and just after it took 8.1 and 9.0 s:
the whole snapshot ran at 78-87 % of that rate. In .venv's interpreter it took 380 s on
2026-12-06 00:18 (a slow hour: 86-94 % of that hour's 100,000-record rate, 245 MB) and 235-249 s
on session 14's fast evening (75-86 %). With the helper process
(`SOURCING_SNAPSHOT_HELPER_PROCESS`, off by default) it took 270 s on 2026-12-04, and the import
and its helper together peaked at 357 MB.

**The interpreter.** Production runs the image's CPython (`python:3.11-slim`), which is built
with profile-guided and link-time optimisation (`--enable-optimizations --with-lto`). This
machine's default `python3`, which `make install` builds `.venv` from, is a pyenv build with
neither, and runs the same Python more slowly (the calibration lines: a fixed loop of dictionary
and string work). Since session 16, `make bench` runs the imports in a CPython built with both
when the machine has one (Debian's `python3.11`, which the machine's packages use, in
`.venv/bench`, filled by `.venv`'s pip), and in `.venv`'s interpreter too, alternately, so that a
drift of the machine shows in both: the goals are read on the first, the interpreter production
runs; the line "the same imports in .venv's interpreter" shows the other. Same code, same
database, the same rows written. Without such an interpreter (`make bench BENCH_PYTHON=`), the
imports run in `.venv`'s alone. Before session 16 every figure here was `.venv`'s.

These figures were measured on an AMD EPYC machine; the other suites' on the Intel one of the
sessions before. Where the import stands against its floor: the floor above is the issue's,
`COPY` with PostgreSQL's per-row foreign-key triggers (at the first size the median of three
loads). The import checks its foreign keys set-wise where the role may
(`SOURCING_SETWISE_FOREIGN_KEYS`, docs/sourcing-arxiv.md), which is much of why it got faster;
the line "the same, foreign keys checked set-wise" is the floor loaded that way, for comparison
with like. This machine's speed moves by the hour, and moves Python more than PostgreSQL's C:
in session 15 the same import of the same 100,000 records used 9.0 s of its process's CPU at
23:30 and 11.4 s at 00:15 (`.venv`'s interpreter), and its ratio read 1.43x, 1.85x and 2.14x
in three runs of one hour; the calibration lines say how fast the machine ran Python in a run,
and the two interpreters' imports, alternated, how much of a ratio is the interpreter. On two
cores the import is bounded by the CPU both sides need: its Python and PostgreSQL's own work
during it (~6-7 s at 100,000 records, about the floor's whole load, since the mentions are
staged, sorted and read back), with the sort between the passes (0.6-0.9 s) when Python waits.
Spreading the Python over two processes (the line "with the helper process") gains 0-23 % by the
hour and costs the helper's own memory, which the whole snapshot has no room for. The rate falls
with the size mostly in the first pass: parsed names are cached per name (65,536 of them), and
the generated file, unlike arXiv, draws its authors with no locality in time, so the cache misses
more often as the file grows (42 % of mentions in the first 400,000 records of the
2.7-million-record file).
"""
CATEGORIES = ["cs.LG", "cs.CV", "cs.CL", "stat.ML", "cs.AI", "cs.RO", "cs.IR", "eess.IV"]
_MONTHS = 96  # the generated papers span eight years, spread evenly


def generate(path: Path, records: int, seed: int = 7) -> int:
    """Write ``records`` lines; returns the file size in bytes. Author names as skewed as
    arXiv's (``bench.snapshot_names``); arXiv ids unique (``YYMM.NNNNN``, numbered per month)."""
    templates = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
    rng = random.Random(seed)
    pool = NamePool(rng, max(1000, records // 3))
    numbers: dict[int, int] = {}
    with path.open("w") as out:
        for i in range(records):
            record: dict[str, Any] = dict(templates[i % len(templates)])
            month_index = i * _MONTHS // records
            year, month = 16 + month_index // 12, 1 + month_index % 12
            number = numbers[month_index] = numbers.get(month_index, 0) + 1
            record["id"] = f"{year:02d}{month:02d}.{number:05d}"
            cats = rng.sample(CATEGORIES, rng.randint(1, 3))
            record["categories"] = " ".join(cats)
            authors = pool.authors(rng.choice([1, 2, 3, 3, 4, 4, 5, 6, 8]))
            record["authors"] = ", ".join(f"{f} {last}" for f, last in authors)
            record["authors_parsed"] = [[last, f, ""] for f, last in authors]
            record["versions"] = [
                {"version": "v1", "created": f"Mon, {1 + i % 28} Jan 20{year} 10:00:00 GMT"}
            ]
            record["comments"] = rng.choice(["", "Accepted at NeurIPS 2023", "12 pages"])
            out.write(json.dumps(record) + "\n")
    return path.stat().st_size


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (every process, PostgreSQL's
    included; /proc/stat), NaN where that is not readable."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:9]]
    except (OSError, ValueError):
        return float("nan")
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _process_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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


class _ChildMemory:
    """Sampled every 50 ms while an import runs: the peak private memory of this process's
    children (the helper process, ``SOURCING_SNAPSHOT_HELPER_PROCESS``: the pages it does not
    share with the import, ``Private_*`` of ``smaps_rollup``), and the peak of this process's
    resident memory plus that: what the two take together."""

    def __init__(self) -> None:
        self.child_mb = 0.0
        self.total_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> _ChildMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.05):
            private = 0.0
            for task in Path(f"/proc/{me}/task").iterdir():
                try:
                    children = (task / "children").read_text().split()
                except OSError:
                    continue
                private += sum(_private_mb(int(pid)) for pid in children)
            own = _proc_kb(Path(f"/proc/{me}/status"), "VmRSS") / 1024
            self.child_mb = max(self.child_mb, private)
            self.total_mb = max(self.total_mb, own + private)


def _private_mb(pid: int) -> float:
    rollup = Path(f"/proc/{pid}/smaps_rollup")
    return (_proc_kb(rollup, "Private_Clean") + _proc_kb(rollup, "Private_Dirty")) / 1024


def _proc_kb(path: Path, field: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass  # gone meanwhile
    return 0


def import_once(path: Path) -> dict[str, float]:
    """One import into emptied tables, in this process: seconds, records written, peak RSS (and
    with a helper process, its own memory and the peak of both together)."""
    from django.conf import settings

    from sourcing.arxiv.runner import sourcing_run_execute
    from sourcing.launch import sourcing_run_create
    from sourcing.models import SourcingRun

    _clear_tables()
    run = sourcing_run_create(
        kind=SourcingRun.Kind.SNAPSHOT, parameters={"path": str(path), "categories": ["cs"]}
    )
    rss_before = _peak_rss_mb()
    cpu, busy = _process_cpu_seconds(), busy_cpu_seconds()
    started = time.perf_counter()
    # Sampled only when there is a helper to sample: the sampling thread wakes every 50 ms and
    # takes the GIL from the import each time.
    with _ChildMemory() if settings.SOURCING_SNAPSHOT_HELPER_PROCESS else nullcontext() as memory:
        outcome = sourcing_run_execute(run_id=run.pk)
    elapsed = time.perf_counter() - started
    cpu, busy = _process_cpu_seconds() - cpu, busy_cpu_seconds() - busy
    run.refresh_from_db()
    if outcome != "succeeded":
        raise SystemExit(f"import failed: {run.error}")
    return {
        "seconds": elapsed,
        "written": run.papers_count,
        "peak_rss_mb": _peak_rss_mb(),
        "rss_before_mb": rss_before,
        "python_cpu": cpu,
        "machine_cpu": busy,
        "helper_private_mb": memory.child_mb if memory else 0.0,
        "together_peak_mb": max(memory.total_mb if memory else 0.0, _peak_rss_mb()),
    }


def _import_in_child(
    path: Path, *, helper: bool = False, python: str = IMPORT_PYTHON
) -> dict[str, float]:
    """An import in a process of its own, so its peak RSS is its own (``ru_maxrss`` never goes
    down) and nothing of an earlier import is left in its heap; ``helper``: with the second
    pass's helper process; ``python``: the interpreter it runs in."""
    done = subprocess.run(  # noqa: S603 - an interpreter of ours, our own module
        [python, "-m", "bench.snapshot_import", "--import-once", str(path)],
        check=False,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "SOURCING_SNAPSHOT_HELPER_PROCESS": "1" if helper else "0"},
    )
    if done.returncode:
        raise SystemExit(f"the import failed (exit status {done.returncode}): {done.stdout}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


_FLOOR_TABLES = ("sourcing_paper", "sourcing_person", "sourcing_authorship")


def postgres_floor(directory: Path, repeats: int = 1) -> dict[str, float]:
    """How long PostgreSQL itself takes to load the rows the import produced: the three tables
    COPYed out to files, emptied, and COPYed back in, in one transaction on a connection of its
    own, with the same indexes, constraints and (deferred) foreign keys, which are checked at
    the commit timed here. Seconds per table, and in all: the run with the median total of
    ``repeats`` loads (the floor moved by a quarter between two loads minutes apart, as the
    import does: its ratio is the median import over the median floor)."""
    files = {table: directory / f"{table}.copy" for table in _FLOOR_TABLES}
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        with conn.cursor() as cursor:
            for table, file in files.items():
                with file.open("wb") as out, cursor.copy(f"COPY {table} TO STDOUT") as copy:
                    for chunk in copy:
                        out.write(chunk)
        conn.commit()
        loads = []
        for _ in range(repeats):
            _clear_tables()
            loads.append(_floor_load(conn, files))
        timings = sorted(loads, key=lambda load: load["total"])[(len(loads) - 1) // 2]
        timings["runs"] = len(loads)
        with conn.cursor() as cursor:
            timings["set-wise"] = _floor_setwise(conn, cursor, files)
    for file in files.values():
        file.unlink()
    return timings


def _floor_load(conn: Any, files: dict[str, Path]) -> dict[str, float]:
    """One timed load of the COPYed files into the emptied tables (``postgres_floor``)."""
    timings: dict[str, float] = {}
    with conn.cursor() as cursor:
        cursor.execute("CHECKPOINT")
        conn.commit()
        busy = busy_cpu_seconds()
        started = time.perf_counter()
        for table, file in files.items():
            mark = time.perf_counter()
            with file.open("rb") as data, cursor.copy(f"COPY {table} FROM STDIN") as copy:
                while chunk := data.read(1 << 20):
                    copy.write(chunk)
            timings[table] = time.perf_counter() - mark
        mark = time.perf_counter()
        conn.commit()
        timings["commit (foreign-key checks)"] = time.perf_counter() - mark
        timings["total"] = time.perf_counter() - started
        timings["machine_cpu"] = busy_cpu_seconds() - busy
    return timings


def _floor_setwise(conn: Any, cursor: Any, files: dict[str, Path]) -> float:
    """The same load with the foreign keys checked as the import checks them where it may
    (``SOURCING_SETWISE_FOREIGN_KEYS``): the rows ``COPY``ed with the per-row triggers off, then
    one set-wise look-up of every paper and person the authorships name (here all of them were
    inserted by this transaction, so none needs a lock). Seconds."""
    cursor.execute("TRUNCATE " + ", ".join(_FLOOR_TABLES) + " CASCADE")
    conn.commit()
    cursor.execute("CHECKPOINT")
    conn.commit()
    started = time.perf_counter()
    cursor.execute("SET LOCAL session_replication_role = replica")
    for table, file in files.items():
        with file.open("rb") as data, cursor.copy(f"COPY {table} FROM STDIN") as copy:
            while chunk := data.read(1 << 20):
                copy.write(chunk)
    cursor.execute("SET LOCAL session_replication_role = origin")
    cursor.execute(
        "SELECT count(*) FROM sourcing_authorship a WHERE NOT EXISTS "
        "(SELECT 1 FROM sourcing_paper p WHERE p.id = a.paper_id) OR NOT EXISTS "
        "(SELECT 1 FROM sourcing_person p WHERE p.id = a.person_id)"
    )
    if cursor.fetchone()[0]:
        raise SystemExit("the floor's rows name papers or people that are not there")
    conn.commit()
    return time.perf_counter() - started


def _measure(records: int, repeats: int, tmp: Path) -> dict[str, Any]:
    from sourcing.models import Authorship, Person

    path = tmp / f"snapshot-{records}.jsonl"
    size = generate(path, records)
    # This machine's speed drifts by a fifth within minutes: the import's figure is the median
    # of ``repeats`` runs, the floor measured right after the last one, on its rows (both
    # interpreters' imports write the same rows). With two interpreters, their imports
    # alternate, so that a drift shows in both.
    imports, plain = [], []
    for _ in range(repeats):
        imports.append(_import_in_child(path))
        if sys.executable != IMPORT_PYTHON:
            plain.append(_import_in_child(path, python=sys.executable))
    with_helper = _import_in_child(path, helper=True) if HELPER else None
    people, authorships = Person.objects.count(), Authorship.objects.count()
    path.unlink()
    floor = postgres_floor(tmp, repeats) if FLOOR else {"total": float("nan")}
    seconds = statistics.median(i["seconds"] for i in imports)
    middle = min(imports, key=lambda i: abs(i["seconds"] - seconds))  # the median's own run
    plain_seconds = statistics.median(i["seconds"] for i in plain) if plain else None
    return {
        "records": records,
        "size": size,
        "written": int(imports[0]["written"]),
        "people": people,
        "authorships": authorships,
        "runs": [i["seconds"] for i in imports],
        "seconds": seconds,
        "rate": records / seconds,
        "floor": floor,
        "ratio": seconds / floor["total"],
        "peak_rss_mb": max(i["peak_rss_mb"] for i in imports),
        "python_cpu": middle["python_cpu"],
        "machine_cpu": middle["machine_cpu"],
        "with_helper": with_helper,
        "plain_runs": [i["seconds"] for i in plain],
        "plain_seconds": plain_seconds,
    }


def _interpreter(python: str) -> str:
    """``python``'s version and how long it took for the calibration workload (the median of
    three runs, CPU seconds)."""
    version = subprocess.run(  # noqa: S603 - an interpreter of ours
        [python, "-c", "import sys; print(sys.version.split()[0])"],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.strip()
    times = [
        float(
            subprocess.run(  # noqa: S603 - an interpreter of ours, our own code
                [python, "-c", _CALIBRATION], check=True, stdout=subprocess.PIPE, text=True
            ).stdout
        )
        for _ in range(3)
    ]
    shown = os.path.relpath(python, ROOT) if python.startswith(str(ROOT)) else python
    return f"`{shown}` (Python {version}; calibration loop {statistics.median(times):.2f} s)"


def run() -> dict[str, object]:
    from django.db import connection

    figures: dict[str, object] = {"database": connection.vendor}
    figures["interpreter of the imports"] = _interpreter(IMPORT_PYTHON)
    if sys.executable != IMPORT_PYTHON:
        figures[".venv's interpreter, for comparison"] = _interpreter(sys.executable)
    measured = []
    with tempfile.TemporaryDirectory() as tmp:
        for index, records in enumerate(SIZES):
            m = _measure(records, REPEATS if index == 0 else LARGE_REPEATS, Path(tmp))
            measured.append(m)
            figures.update(_size_figures(m))
    if len(measured) > 1:
        first, last = measured[0], measured[-1]
        figures[f"rate at {last['records']:,} / rate at {first['records']:,}"] = (
            f"**{100 * last['rate'] / first['rate']:.0f}%** (goal ≥ 80%)"
        )
    return figures


def _size_figures(m: dict[str, Any]) -> dict[str, object]:
    """One size's lines; those comparing with the floor only when it was measured."""
    records, floor = m["records"], m["floor"]
    label = f"{records:,} records"
    figures: dict[str, object] = {
        f"{label}: file, written, people, authorships": (
            f"{m['size'] / 1e6:,.0f} MB; {m['written']:,} written "
            f"({records - m['written']:,} dropped by the category filter); "
            f"{m['people']:,} people; {m['authorships']:,} authorships"
        ),
        f"{label}: import": (
            f"{m['seconds']:.1f} s, **{m['rate']:,.0f} records read/s** "
            f"(runs: {', '.join(f'{s:.1f}' for s in m['runs'])} s)"
        ),
    }
    if FLOOR:
        figures.update(_floor_figures(label, m))
    # What bounds the ratio on this machine: the CPU both sides need, over its cores.
    cores = os.cpu_count() or 1
    figures[f"{label}: CPU busy, import (its Python process; the whole machine)"] = (
        f"{m['python_cpu']:.1f} s; {m['machine_cpu']:.1f} s "
        f"({m['machine_cpu'] / (cores * m['seconds']):.0%} of {cores} cores)"
    )
    if "machine_cpu" in floor:
        figures[f"{label}: CPU busy, floor (the whole machine)"] = f"{floor['machine_cpu']:.1f} s"
    if FLOOR:
        figures[f"{label}: import / floor"] = f"**{m['ratio']:.2f}x** (goal ≤ 1.5x)"
    if m["plain_seconds"] is not None:
        figures[f"{label}: the same imports in .venv's interpreter"] = (
            f"{m['plain_seconds']:.1f} s (runs: "
            f"{', '.join(f'{s:.1f}' for s in m['plain_runs'])} s)"
            + (f", {m['plain_seconds'] / floor['total']:.2f}x the floor" if FLOOR else "")
        )
    figures[f"{label}: peak RSS"] = f"{m['peak_rss_mb']:.0f} MB (goal < 300)"
    if (helped := m["with_helper"]) is not None:
        figures[f"{label}: with the helper process (one import)"] = (
            f"{helped['seconds']:.1f} s"
            + (f" ({helped['seconds'] / floor['total']:.2f}x the floor)" if FLOOR else "")
            + f"; the import {helped['peak_rss_mb']:.0f} MB at its peak, the helper "
            f"{helped['helper_private_mb']:.0f} MB of its own, "
            f"{helped['together_peak_mb']:.0f} MB together at their peak"
        )
    return figures


def _floor_figures(label: str, m: dict[str, Any]) -> dict[str, object]:
    floor = m["floor"]
    figures: dict[str, object] = {
        f"{label}: PostgreSQL floor (COPY of the same rows)": (
            f"{floor['total']:.1f} s ("
            + ", ".join(
                f"{name.removeprefix('sourcing_')} {value:.1f}"
                for name, value in floor.items()
                if name not in {"total", "machine_cpu", "set-wise", "runs"}
            )
            + (f"; the median of {floor['runs']:.0f} loads" if floor.get("runs", 1) > 1 else "")
            + ")"
        )
    }
    if "set-wise" in floor:
        figures[f"{label}: the same, foreign keys checked set-wise as the import does"] = (
            f"{floor['set-wise']:.1f} s; import / that: {m['seconds'] / floor['set-wise']:.2f}x"
        )
    return figures


if __name__ == "__main__":
    from bench import database

    database.prepare()
    if len(sys.argv) == 3 and sys.argv[1] == "--import-once":
        print(json.dumps(import_once(Path(sys.argv[2]))))
    else:
        for key, value in run().items():
            print(f"{key}: {value}")
