"""Run every benchmark against PostgreSQL and write the figures to docs/benchmarks.md and the
README (between the bench markers). Goals are printed next to the figures; nothing is hidden."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform
import re
from pathlib import Path
from typing import Any

from bench import database

ROOT = Path(__file__).resolve().parent.parent
SUITES = {
    "api_list": "Candidate list through gunicorn (goal: p99 ≤ 50 ms, ≥ 400 req/s, ≤ 5 queries)",
    "snapshot_import": (
        "arXiv snapshot import (goals: rate at 800,000 records ≥ 80% of the rate at 100,000, "
        "≤ 1.5x PostgreSQL's own COPY of the same rows, < 300 MB RSS)"
    ),
    "analytics": (
        "Analytics on 100k applications with their stage histories and 20k scorecards "
        "(goal: funnel and dashboard in a constant number of queries, one forecast < 200 ms)"
    ),
}


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _section(name: str, figures: dict[str, Any], note: str = "") -> str:
    """A suite's table; ``note``: the suite module's ``NOTE`` (how its data was made), after it."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"**{SUITES[name]}**", "", f"Measured {when}.", "", "| measure | value |", "|---|---|"]
    lines.extend(f"| {key} | {value} |" for key, value in figures.items())
    if note:
        lines.extend(["", note.strip()])
    return "\n".join(lines) + "\n"


def _previous_sections(text: str) -> dict[str, str]:
    """The sections of an earlier run, so running one suite (BENCH_ONLY) keeps the others'."""
    found: dict[str, str] = {}
    for name, title in SUITES.items():
        start = text.find(f"**{title}**")
        if start == -1:
            continue
        ends = [text.find(f"**{t}**", start + 1) for t in SUITES.values()]
        end = min([e for e in ends if e > start] or [len(text)])
        found[name] = text[start:end].rstrip() + "\n"
    return found


def _render(
    results: dict[str, dict[str, Any]], previous: str, notes: dict[str, str] | None = None
) -> str:
    sections = _previous_sections(previous)
    sections.update(
        {
            name: _section(name, figures, (notes or {}).get(name, ""))
            for name, figures in results.items()
        }
    )
    lines = [
        f"On {os.cpu_count()} cores ({_cpu()}), PostgreSQL on loopback, client and server on "
        "the same machine.",
        "",
    ]
    lines.extend(sections[name] for name in SUITES if name in sections)
    return "\n".join(lines)


def main() -> None:
    database.prepare()
    selected = os.environ.get("BENCH_ONLY", "").split(",") if os.environ.get("BENCH_ONLY") else []
    results: dict[str, dict[str, Any]] = {}
    notes: dict[str, str] = {}
    for name in SUITES:
        if selected and name not in selected:
            continue
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        results[name] = module.run()
        notes[name] = getattr(module, "NOTE", "")
        for key, value in results[name].items():
            print(f"  {key}: {value}", flush=True)
    report = ROOT / "docs" / "benchmarks.md"
    text = _render(results, report.read_text() if report.exists() else "", notes)
    report.write_text("# Benchmarks\n\n`make bench`\n\n" + text)
    readme = ROOT / "README.md"
    content = readme.read_text()
    pattern = re.compile(r"(<!-- bench:start -->\n).*?(<!-- bench:end -->)", re.S)
    if pattern.search(content):
        readme.write_text(pattern.sub(lambda m: m.group(1) + text + "\n" + m.group(2), content))
    print("written to docs/benchmarks.md and README.md")


if __name__ == "__main__":
    main()
