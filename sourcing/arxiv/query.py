"""Query-API runs: the query built from a role, date windows that keep each query under arXiv's
30,000-result ceiling, and the loop that pages through them, one committed batch per page.

Checkpoint: ``{"windows": [[from, to] | null, ...], "window": i, "offset": n, "fetched": m}``;
``offset`` is the position in the current window's result list (sorted by submission date,
ascending, so papers submitted during the run land at the end and do not shift earlier pages)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import arxiv

from hiring.models import RoleProfile
from sourcing.arxiv.client import ArxivClient
from sourcing.people.names import parse_name
from sourcing.privacy import records_suppress
from sourcing.records import AuthorRecord, PaperRecord, split_version
from sourcing.runs.context import RunContext
from sourcing.runs.parameters import ApiParameters, api_parameters

MAX_RESULTS_PER_QUERY = 30_000  # arXiv refuses to page past this
EARLIEST = dt.date(1991, 8, 1)
_UNSAFE = re.compile(r'["()\[\]]')


def role_query(role: RoleProfile) -> str:
    """``(cat:cs.LG OR cat:stat.ML) AND (ti:"x" OR abs:"x" ...)`` from the role's lists."""
    parts = []
    categories = [c.strip() for c in role.sourcing_categories if c.strip()]
    if categories:
        parts.append("(" + " OR ".join(f"cat:{c}" for c in categories) + ")")
    terms = []
    for keyword in role.sourcing_keywords:
        clean = _UNSAFE.sub(" ", keyword).strip()
        if clean:
            terms += [f'ti:"{clean}"', f'abs:"{clean}"']
    if terms:
        parts.append("(" + " OR ".join(terms) + ")")
    return " AND ".join(parts)


def windowed(query: str, window: list[str] | None) -> str:
    if window is None:
        return query
    start, end = (dt.date.fromisoformat(d) for d in window)
    return f"({query}) AND submittedDate:[{start:%Y%m%d}0000 TO {end:%Y%m%d}2359]"


def split_window(window: list[str]) -> list[list[str]] | None:
    """Halve a date window; ``None`` when it is a single day and cannot be split."""
    start, end = (dt.date.fromisoformat(d) for d in window)
    if start >= end:
        return None
    middle = start + (end - start) // 2
    return [
        [start.isoformat(), middle.isoformat()],
        [(middle + dt.timedelta(days=1)).isoformat(), end.isoformat()],
    ]


def initial_checkpoint(parameters: ApiParameters, today: dt.date) -> dict[str, Any]:
    start, end = parameters.from_date, parameters.to_date
    window = None
    if start or end:
        window = [(start or EARLIEST).isoformat(), (end or today).isoformat()]
    return {"windows": [window], "window": 0, "offset": 0, "fetched": 0}


def to_record(result: arxiv.Result) -> PaperRecord:
    arxiv_id, version = split_version(result.get_short_id())
    return PaperRecord(
        arxiv_id=arxiv_id,
        latest_version=version,
        title=" ".join(result.title.split()),
        abstract=" ".join(result.summary.split()),
        categories=list(result.categories),
        primary_category=result.primary_category,
        published=result.published,
        updated=result.updated,
        comment=result.comment or "",
        journal_ref=result.journal_ref or "",
        doi=result.doi or "",
        authors=[
            AuthorRecord(raw=a.name, parts=parse_name(a.name), affiliation="; ".join(a.affiliation))
            for a in result.authors
        ],
    )


def execute_api_run(ctx: RunContext) -> None:
    run = ctx.run
    params = api_parameters(run)
    query = params.query or role_query(run.role_profile)  # type: ignore[arg-type]
    if not ctx.run.checkpoint:
        ctx.commit(checkpoint=initial_checkpoint(params, ctx.today()))
    max_results = params.results_wanted
    page_size = params.results_per_page
    client = ArxivClient(page_size=page_size, on_wait=ctx.waiting)
    while True:
        cp = dict(ctx.run.checkpoint)
        if cp["window"] >= len(cp["windows"]) or cp["fetched"] >= max_results:
            return
        window = cp["windows"][cp["window"]]
        budget = max_results - cp["fetched"]
        search = arxiv.Search(
            query=windowed(query, window),
            max_results=min(MAX_RESULTS_PER_QUERY, cp["offset"] + budget),
            sort_by=arxiv.SortCriterion.SubmittedDate,
            sort_order=arxiv.SortOrder.Ascending,
        )
        batch: list[PaperRecord] = []
        split = False
        for result in client.results(search, offset=cp["offset"]):
            found = client.total_results or 0
            if not batch and cp["offset"] == 0 and found > MAX_RESULTS_PER_QUERY and window:
                halves = split_window(window)
                if halves:
                    windows = cp["windows"]
                    cp["windows"] = windows[: cp["window"]] + halves + windows[cp["window"] + 1 :]
                    ctx.commit(checkpoint=cp)
                    split = True
                    break
            batch.append(to_record(result))
            if len(batch) >= page_size:
                cp = _commit_page(ctx, cp, batch, found, max_results)
                batch = []
        if split:
            continue
        cp = _commit_page(ctx, cp, batch, client.total_results or 0, max_results)
        ctx.commit(checkpoint={**cp, "window": cp["window"] + 1, "offset": 0})


def _commit_page(
    ctx: RunContext, cp: dict[str, Any], batch: list[PaperRecord], found: int, max_results: int
) -> dict[str, Any]:
    if not batch:
        return cp
    new = {**cp, "offset": cp["offset"] + len(batch), "fetched": cp["fetched"] + len(batch)}
    remaining_in_window = max(0, min(found, MAX_RESULTS_PER_QUERY) - new["offset"])
    total = min(max_results, new["fetched"] + remaining_in_window)
    suppressed = records_suppress(batch, ctx.suppression)
    ctx.commit(
        checkpoint=new, records=batch, processed=len(batch), total=total, suppressed=suppressed
    )
    return new
