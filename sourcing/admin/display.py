"""How sourcing records read in the admin: run progress, score breakdowns, name forms and
evidence, shared by the pages of this package."""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html, format_html_join

from sourcing import selectors
from sourcing.models import Person, SourcingRun

PERSON_AUTHORSHIP_FIELDS: tuple[str, ...] = (
    "paper",
    "position",
    "name",
    "affiliation",
    "match_confidence",
    "is_last",
)
PAPER_AUTHORSHIP_FIELDS: tuple[str, ...] = (
    "person",
    "position",
    "name",
    "affiliation",
    "match_confidence",
)


def progress_bar(run: SourcingRun) -> str:
    unit, stage = selectors.run_progress_terms(run)
    unit = f" {unit}" if unit else ""
    done, total = run.pass_progress
    if not total:
        bar = format_html("{}{}", done, unit)
    else:
        bar = format_html(
            '<progress value="{}" max="{}" style="width:10em"></progress> {}% ({} / {}{})',
            min(done, total),
            total,
            run.percent,
            done,
            total,
            unit,
        )
    if stage and run.status != SourcingRun.Status.SUCCEEDED:
        bar = format_html("{}<br><small>{}</small>", bar, stage)
    if run.note and run.status == SourcingRun.Status.RUNNING:
        # Without it, a run waiting to retry an unreachable upstream reads "Running, 0".
        return format_html('{}<br><em class="run-note">{}</em>', bar, run.note)
    return bar


ERROR_SUMMARY_CHARS = 160


def error_folded(error: str) -> str:
    """A run's error as a short reason, with the whole text (causes, URLs) folded below it."""
    if not error:
        return "—"
    first = error.strip().splitlines()[0]
    summary = first if len(first) <= ERROR_SUMMARY_CHARS else first[:ERROR_SUMMARY_CHARS] + "…"
    if summary == error.strip():
        return format_html('<span class="run-error">{}</span>', summary)
    return format_html(
        '<span class="run-error">{}</span><details><summary>Details</summary>'
        '<pre style="white-space:pre-wrap;overflow-wrap:anywhere;max-width:60em">{}</pre>'
        "</details>",
        summary,
        error,
    )


def breakdown_table(breakdown: dict[str, Any]) -> str:
    if not breakdown:
        return "-"
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>&times; {}</td><td>= {}</td><td>{}</td></tr>",
        (
            (c["name"], c["value"], c["weight"], c["points"], c["reason"])
            for c in breakdown.get("components", [])
        ),
    )
    papers = format_html_join(
        "",
        '<li><a href="https://arxiv.org/abs/{}">{}</a> {} (fit {}, quality {}) {}</li>',
        (
            (p["arxiv_id"], p["arxiv_id"], p["title"], p["fit"], p["quality"], p["why"])
            for p in breakdown.get("papers", [])
        ),
    )
    return format_html(
        "<strong>score {}</strong><table><tr><th>component</th><th>value</th><th>weight</th>"
        "<th>points</th><th>why</th></tr>{}</table><ul>{}</ul>",
        breakdown.get("score"),
        rows,
        papers,
    )


def name_forms_text(person: Person) -> str:
    """The names a person was written under, for reading (the column holds them as JSON)."""
    names = [f.get("name", "") for f in person.name_forms if isinstance(f, dict)]
    return ", ".join(n for n in names if n) or "-"


def evidence_list(person: Person) -> str:
    return format_html_join(
        "",
        '<li><a href="{}">{}</a> {}: author {}{}{}</li>',
        (
            (
                a.paper.abs_url,
                a.paper.arxiv_id,
                a.paper.title,
                a.position + 1,
                " (last)" if a.is_last else "",
                f", {a.affiliation}" if a.affiliation else "",
            )
            for a in selectors.person_evidence(person=person)[:50]
        ),
    )
