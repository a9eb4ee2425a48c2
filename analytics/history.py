"""Stage history, aggregated in the database: how many applications left each stage for which
next stage after how many days, grouped by source, role or opening.

Everything in analytics is computed from ``hiring.models.StageChange`` (what happened), never from
``Application.stage`` counts (where things are now). One SQL statement pairs each stage entry
with the application's next move (``LEAD`` over the application's history, in time order) and
counts the pairs per group, per stage, per next stage and per whole day spent; Python then reads
those few thousand rows instead of hundreds of thousands of changes. Days are whole days rounded
down, capped at ``MAX_DWELL_DAYS``.

The pipeline is read as a chain (``PIPELINE``): an application that moves from screen straight to
onsite passed take-home in no time. Counting it that way keeps "reached" monotone down the funnel
and makes the product of stage conversions the real rate of hire (see ``StageStats``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np
from django.db import connection

from hiring.models import Application, Candidate, Opening, Stage, StageChange
from sourcing.models import Person, Prospect, SourcingRun

PIPELINE: tuple[str, ...] = (
    Stage.SOURCED,
    Stage.CONTACTED,
    Stage.SCREEN,
    Stage.TAKE_HOME,
    Stage.ONSITE,
    Stage.DEBRIEF,
    Stage.OFFER,
    Stage.HIRED,
)
EXITS: frozenset[str] = frozenset({Stage.REJECTED, Stage.WITHDRAWN})
RANK = {stage: index for index, stage in enumerate(PIPELINE)}
HIRED_RANK = RANK[Stage.HIRED]
MAX_DWELL_DAYS = 365

# Where a candidate came from. arXiv candidates are told apart by the kind of run that found them
# (query API, bulk snapshot, OAI-PMH), read from their author identity's latest prospect.
SOURCES: tuple[tuple[str, str], ...] = (
    ("arxiv_api", "arXiv query API"),
    ("arxiv_snapshot", "arXiv bulk snapshot"),
    ("arxiv_oai", "arXiv OAI-PMH harvest"),
    ("arxiv", "arXiv (run unknown)"),
    ("github", "GitHub re-implementations"),
    ("ats", "ATS"),
    ("manual", "Entered by hand"),
    ("referral", "Referral"),
    ("inbound", "Applied"),
    ("conference", "Conference"),
    ("other", "Other"),
)
SOURCE_LABELS = dict(SOURCES)

GroupBy = Literal["source", "role", "opening", "all"]


@dataclasses.dataclass
class StageStats:
    """What happened at one stage of the chain. ``advanced`` counts moves to a later stage
    (including pass-throughs of a skipped stage, which are also in ``skipped``), ``exited``
    rejections and withdrawals, ``pending`` applications still there. ``dwell`` counts the
    observed advances by whole days spent (index = days); pass-throughs are not in it."""

    reached: int = 0
    advanced: int = 0
    exited: int = 0
    pending: int = 0
    skipped: int = 0
    dwell: np.ndarray = dataclasses.field(
        default_factory=lambda: np.zeros(MAX_DWELL_DAYS + 1, dtype=np.int64)
    )

    @property
    def decided(self) -> int:
        return self.advanced + self.exited

    def dwell_quantile(self, q: float) -> int | None:
        """The ``q`` quantile of observed days in this stage before moving on (None if none)."""
        total = int(self.dwell.sum())
        if total == 0:
            return None
        return int(np.searchsorted(np.cumsum(self.dwell), q * total, side="left"))


@dataclasses.dataclass
class History:
    """A group's stage statistics, in ``PIPELINE`` order."""

    stages: list[StageStats] = dataclasses.field(
        default_factory=lambda: [StageStats() for _ in PIPELINE]
    )

    @property
    def hires(self) -> int:
        return self.stages[HIRED_RANK].reached

    def add(self, stage: str, next_stage: str | None, days: int | None, count: int) -> None:
        """Count ``count`` stays in ``stage`` that ended with ``next_stage`` after ``days``."""
        rank = RANK.get(stage)
        if rank is None:
            return  # a move out of rejected/withdrawn (a reopened application): not a stage stay
        here = self.stages[rank]
        here.reached += count
        if rank == HIRED_RANK:
            return
        if next_stage is None:
            here.pending += count
        elif next_stage in EXITS:
            here.exited += count
        elif RANK.get(next_stage, -1) > rank:
            here.advanced += count
            here.dwell[min(days or 0, MAX_DWELL_DAYS)] += count
            for skipped in self.stages[rank + 1 : RANK[next_stage]]:
                skipped.reached += count
                skipped.advanced += count
                skipped.skipped += count
        # A move back to an earlier stage is neither an advance nor an exit; the application's
        # new stay there is counted on its own row.

    def merged(self, other: History, sign: int = 1) -> History:
        """This history plus ``other`` (or minus it, with ``sign=-1``: the rest of a role once
        one opening is taken out of it)."""
        out = History()
        for mine, theirs, target in zip(self.stages, other.stages, out.stages, strict=True):
            # Never below zero: a cached role history can be older than the opening's own,
            # fresh one, and a negative count would make an impossible Beta posterior.
            target.reached = max(mine.reached + sign * theirs.reached, 0)
            target.advanced = max(mine.advanced + sign * theirs.advanced, 0)
            target.exited = max(mine.exited + sign * theirs.exited, 0)
            target.pending = max(mine.pending + sign * theirs.pending, 0)
            target.skipped = max(mine.skipped + sign * theirs.skipped, 0)
            target.dwell = np.maximum(mine.dwell + sign * theirs.dwell, 0)
        return out


@dataclasses.dataclass(frozen=True)
class Scope:
    """Which applications to count: ``opening_ids`` None means every opening (the requester may
    see all), otherwise only those (possibly none). Other fields narrow further."""

    opening_ids: Sequence[int] | None
    role_profile_id: int | None = None
    opening_id: int | None = None
    source: str | None = None
    created_from: dt.datetime | None = None
    created_before: dt.datetime | None = None


def _source_sql() -> tuple[str, str]:
    """The source key of the application's candidate (``SOURCES``), as an SQL expression over
    ``c`` and the join it needs. The arXiv run kind comes from the candidate's author identity's
    latest prospect: one derived table joined once (a correlated subquery per candidate made
    PostgreSQL's planner expect a cost high enough to JIT-compile the query, which took longer
    than running it)."""
    join = f"""LEFT JOIN (
        SELECT ranked.candidate_id, ranked.kind FROM (
            SELECT pe.candidate_id, r.kind, ROW_NUMBER() OVER (
                PARTITION BY pe.candidate_id ORDER BY p.updated_at DESC, p.id DESC) AS latest
            FROM {Prospect._meta.db_table} p
            JOIN {Person._meta.db_table} pe ON pe.id = p.person_id
            JOIN {SourcingRun._meta.db_table} r ON r.id = p.last_run_id
            WHERE pe.candidate_id IS NOT NULL
        ) ranked WHERE ranked.latest = 1
    ) arxiv_run ON arxiv_run.candidate_id = c.id"""  # noqa: S608 - the models' own table names
    expression = (
        "CASE WHEN c.source = 'arxiv' THEN COALESCE('arxiv_' || arxiv_run.kind, 'arxiv') "
        "ELSE c.source END"
    )
    return expression, join


def _dwell_days_sql(vendor: str) -> str:
    if vendor == "postgresql":
        # The whole days of the interval (a subtraction of timestamps gives days + time).
        return "EXTRACT(DAY FROM (m.left_at - m.entered_at))::int"
    return "CAST(julianday(m.left_at) - julianday(m.entered_at) AS INTEGER)"


_GROUP_SQL = {"source": "m.source", "role": "m.role_profile_id", "opening": "m.opening_id"}


def _where(scope: Scope) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if scope.opening_ids is not None:
        if not scope.opening_ids:
            return "1 = 0", []
        clauses.append(f"a.opening_id IN ({', '.join(['%s'] * len(scope.opening_ids))})")
        params.extend(scope.opening_ids)
    if scope.opening_id is not None:
        clauses.append("a.opening_id = %s")
        params.append(scope.opening_id)
    if scope.role_profile_id is not None:
        clauses.append("o.role_profile_id = %s")
        params.append(scope.role_profile_id)
    if scope.created_from is not None:
        clauses.append("a.created_at >= %s")
        params.append(scope.created_from)
    if scope.created_before is not None:
        clauses.append("a.created_at < %s")
        params.append(scope.created_before)
    return (" AND ".join(clauses) or "1 = 1"), params


Row = tuple[object, str, str | None, int | None, int]


def history_rows(*, scope: Scope, group_by: GroupBy) -> list[Row]:
    """One query: ``(group, stage, next_stage, days, count)`` rows for the scope. ``next_stage``
    and ``days`` are None for a stay that has not ended."""
    where, params = _where(scope)
    source_filter = ""
    if scope.source is not None:
        source_filter = "WHERE apps.source = %s"
        params.append(scope.source)
    group = _GROUP_SQL.get(group_by, "NULL")
    # The candidate's source costs a join per application: only when it is asked for.
    if group_by == "source" or scope.source is not None:
        source, source_join = _source_sql()
        candidates = f"JOIN {Candidate._meta.db_table} c ON c.id = a.candidate_id {source_join}"
    else:
        source, candidates = "NULL", ""
    # Every name below is ours (model tables, fixed fragments); values go through parameters.
    sql = f"""
    WITH apps AS (
        SELECT a.id, a.opening_id, o.role_profile_id, {source} AS source
        FROM {Application._meta.db_table} a
        JOIN {Opening._meta.db_table} o ON o.id = a.opening_id
        {candidates}
        WHERE {where}
    ), m AS (
        SELECT apps.source, apps.opening_id, apps.role_profile_id,
               sc.to_stage AS stage, sc.created_at AS entered_at,
               LEAD(sc.to_stage) OVER w AS next_stage, LEAD(sc.created_at) OVER w AS left_at
        FROM {StageChange._meta.db_table} sc JOIN apps ON apps.id = sc.application_id
        {source_filter}
        WINDOW w AS (PARTITION BY sc.application_id ORDER BY sc.created_at, sc.id)
    )
    SELECT {group} AS grp, m.stage, m.next_stage,
           CASE WHEN m.next_stage IS NULL THEN NULL ELSE {_dwell_days_sql(connection.vendor)} END,
           COUNT(*)
    FROM m GROUP BY 1, 2, 3, 4
    """  # noqa: S608 - no request input in the SQL text
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def histories(rows: Iterable[Row]) -> dict[object, History]:
    """Rows of ``history_rows`` (or rows in that shape from anywhere, e.g. the backtest's
    generated histories) as one ``History`` per group."""
    out: dict[object, History] = {}
    for group, stage, next_stage, days, count in rows:
        out.setdefault(group, History()).add(stage, next_stage, days, count)
    return out


def total(groups: Iterable[History]) -> History:
    out = History()
    for history in groups:
        out = out.merged(history)
    return out


def arrival_rows(*, since: dt.datetime) -> list[tuple[int, int, str, int]]:
    """One query: ``(opening_id, role_profile_id, source, applications)`` for the applications
    created since ``since``, in every opening (arrival rates are pooled across openings)."""
    source, source_join = _source_sql()
    sql = f"""
    SELECT a.opening_id, o.role_profile_id, {source} AS source, COUNT(*)
    FROM {Application._meta.db_table} a
    JOIN {Opening._meta.db_table} o ON o.id = a.opening_id
    JOIN {Candidate._meta.db_table} c ON c.id = a.candidate_id
    {source_join}
    WHERE a.created_at >= %s
    GROUP BY 1, 2, 3
    """  # noqa: S608 - no request input in the SQL text
    with connection.cursor() as cursor:
        cursor.execute(sql, [since])
        return list(cursor.fetchall())
