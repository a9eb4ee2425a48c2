"""The bulk metadata snapshot (``arxiv-metadata-oai-snapshot.json``): one JSON object a line,
plain or gzip-compressed, millions of lines.

Streaming with constant memory: one line at a time, ``SOURCING_SNAPSHOT_BATCH_SIZE`` matching
records a batch. Checkpoint ``{"offset": bytes, "line": n, "skipped": k}`` is the (uncompressed)
byte offset after the last committed line, so a resumed run seeks there. Progress is counted in
bytes of the file as stored (compressed bytes for .gz), against its size.

A line that is not valid JSON (a truncated download) fails the run, naming the line and offset,
after committing everything before it; with ``skip_invalid`` such lines are skipped and counted
in the checkpoint instead."""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import io
import logging
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import closing, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from typing import IO, Any, Protocol

import orjson
from django.conf import settings
from django.db import connection

from hiring.services.suppression import SuppressionSet
from sourcing.errors import PeopleChanged, PermanentSourcingError
from sourcing.models import SourcingRun
from sourcing.people.generation import people_generation
from sourcing.people.names import caches_clear as names_caches_clear
from sourcing.people.names import (
    parse_name,
    parts_from_parsed,
    split_authors,
    tex_to_unicode,
)
from sourcing.privacy import records_suppress
from sourcing.records import AuthorRecord, PaperRecord
from sourcing.runs.batches import (
    sourcing_run_commit_chunk,
    sourcing_run_commit_people,
    sourcing_run_commit_prospects,
    sourcing_run_commit_stage_plan,
    sourcing_run_commit_staged,
)
from sourcing.runs.collector import CollectorPause, heap_trim
from sourcing.runs.context import RunContext
from sourcing.runs.helper import HelperProcess
from sourcing.runs.parameters import snapshot_parameters
from sourcing.runs.pipeline import BatchPipeline
from sourcing.runs.writer import WriteThread
from sourcing.store import bulk, keyed

logger = logging.getLogger(__name__)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_CATEGORIES_RE = re.compile(rb'"categories"\s*:\s*"([^"]*)"')
_MAX_DECIDED = 10_000
_READ_BUFFER = 1 << 20


def parse_rfc2822(value: str | None) -> dt.datetime | None:
    """``"Mon, 2 Apr 2007 19:18:42 GMT"``; hand-parsed because strptime dominates the profile."""
    if not value:
        return None
    try:
        _dow, day, month, year, clock, *_ = value.split()
        hour, minute, second = clock.split(":")
        return dt.datetime(
            int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=dt.UTC
        )
    except (ValueError, KeyError):
        return None


@lru_cache(maxsize=4096)  # a day's date: a few thousand distinct across millions of records
def _date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def squeeze(text: str) -> str:
    """``" ".join(text.split())``: every run of whitespace one space, none at the ends. Snapshot
    abstracts are wrapped lines; when joining them is all it takes (plain ASCII, no whitespace
    but spaces once the lines are joined), that is done without splitting into words, three
    times faster, and runs of spaces (a quarter of the generated abstracts) are replaced in
    place. The other whitespace str.split() splits on in ASCII is looked for one ``in`` at a
    time, written out: as a loop over a tuple it cost 1.2 us a text, against 0.8."""
    joined = text.strip().replace("\n", " ")
    if not joined.isascii() or (
        "\t" in joined
        or "\r" in joined
        or "\x0b" in joined
        or "\x0c" in joined
        or "\x1c" in joined
        or "\x1d" in joined
        or "\x1e" in joined
        or "\x1f" in joined
    ):
        return " ".join(joined.split())
    while "  " in joined:
        joined = joined.replace("  ", " ")
    return joined


# Sized for the distinct authors of a large import's recent batches (~0.5 KB each). The same
# names recur across a snapshot's millions of records; sharing one (immutable) record per name
# also computes its keys once. Replayed on the generated 800,000 records' 3.2 million mentions
# (170,000 distinct names), the share of misses is 38 % at 32,768 entries, 23 % at 65,536 and
# 9 % at 131,072; at 65,536 that first pass took 36.9 s against 38.7 s, for 16 MB more at its
# peak (229 MB), which a whole snapshot's import has room for; twice that, it would not.
@lru_cache(maxsize=1 << 16)
def _author(last: str, first: str) -> AuthorRecord:
    parts = parts_from_parsed([last, first])
    return AuthorRecord(parts.display, parts)


def parse_record(data: dict[str, Any]) -> PaperRecord:
    versions = data.get("versions") or []
    categories = (data.get("categories") or "").split()
    latest = versions[-1].get("version", "v1") if versions else "v1"
    parsed = data.get("authors_parsed")
    if parsed:
        # An empty entry (a stray comma) is no one; dropped here, since an author record with
        # no name is an erased slot (``AuthorRecord.erased``), which only erasure makes.
        authors = [
            author
            for entry in parsed
            if (
                author := _author(entry[0], entry[1])
                if len(entry) > 1
                else _author(entry[0] if entry else "", "")
            ).raw
        ]
    else:
        authors = [
            AuthorRecord(raw=name, parts=parse_name(name))
            for name in split_authors(data.get("authors") or "")
        ]
    return PaperRecord(
        arxiv_id=data["id"],
        latest_version=int(latest.lstrip("v") or 1),
        title=tex_to_unicode(squeeze(data.get("title") or "")),
        abstract=squeeze(data.get("abstract") or ""),
        categories=categories,
        primary_category=categories[0] if categories else "",
        published=parse_rfc2822(versions[0].get("created")) if versions else None,
        updated=_date(data.get("update_date")),
        comment=data.get("comments") or "",
        journal_ref=data.get("journal-ref") or "",
        doi=data.get("doi") or "",
        authors=authors,
    )


class CategoryFilter:
    """Categories ("cs.LG") or whole archives ("cs", "stat"); empty keeps everything."""

    def __init__(self, wanted: Sequence[str]) -> None:
        self.exact = {w for w in wanted if "." in w}
        self.archives = {w for w in wanted if "." not in w}
        self.active = bool(wanted)
        # Decisions by the record's categories field as written: a snapshot has a few thousand
        # distinct ones across millions of lines. Bounded by clearing.
        self._decided: dict[bytes | tuple[str, ...], bool] = {}

    def _keeps(self, categories: Sequence[str]) -> bool:
        return any(c in self.exact or c.split(".", 1)[0] in self.archives for c in categories)

    def _remember(self, key: bytes | tuple[str, ...], kept: bool) -> bool:
        if len(self._decided) >= _MAX_DECIDED:
            self._decided.clear()
        self._decided[key] = kept
        return kept

    def keeps(self, categories: Sequence[str]) -> bool:
        if not self.active:
            return True
        key = tuple(categories)
        kept = self._decided.get(key)
        return self._remember(key, self._keeps(categories)) if kept is None else kept

    def may_keep_raw(self, line: bytes) -> bool:
        """Cheap pre-check on the raw line so non-matching lines skip ``json.loads``."""
        if not self.active:
            return True
        match = _CATEGORIES_RE.search(line)
        if match is None:
            return True
        raw = match.group(1)
        kept = self._decided.get(raw)
        if kept is None:
            kept = self._remember(raw, self._keeps(raw.decode("utf-8", "replace").split()))
        return kept


def open_snapshot(path: str) -> tuple[IO[bytes], IO[bytes]]:
    """``(lines, raw)``: the stream to read lines from and the file underneath (for progress).

    Both read a megabyte at a time, not 8 KB: every read lets go of the GIL, and while the
    writer thread runs, taking it back costs the reading thread up to a switch interval each
    time (measured: a second of a 100k-record import, for 18,000 reads)."""
    raw = open(path, "rb", buffering=_READ_BUFFER)  # noqa: SIM115 - closed by the caller
    if path.endswith(".gz"):
        unzipped = gzip.GzipFile(fileobj=raw, mode="rb")
        return io.BufferedReader(unzipped, buffer_size=_READ_BUFFER), raw
    return raw, raw


def iter_lines(stream: IO[bytes], offset: int) -> Iterator[tuple[bytes, int]]:
    """Lines with the byte offset just after each one."""
    if offset:
        stream.seek(offset)
    position = offset
    for line in stream:
        position += len(line)
        yield line, position


def execute_snapshot_run(ctx: RunContext) -> None:
    params = snapshot_parameters(ctx.run)
    path = params.path
    if not os.path.exists(path):
        raise PermanentSourcingError(f"snapshot file not found: {path}")
    wanted = list(params.categories)
    if not wanted and ctx.run.role_profile is not None:
        wanted = ctx.run.role_profile.sourcing_categories
    keep = CategoryFilter(wanted)
    skip_invalid = bool(params.skip_invalid)
    try:
        if _two_pass(ctx, path):
            with CollectorPause() as collector:
                _import_two_pass(ctx, collector, path, keep, skip_invalid)
            return
        # Each batch is decided while the one before it is written (sourcing.runs.pipeline).
        with BatchPipeline(ctx) as pipeline, CollectorPause() as collector:
            _import(ctx, pipeline, collector, path, keep, skip_invalid)
    finally:
        _caches_clear()


def _caches_clear() -> None:
    """~45 MB of parsed names and dates that neither pass 2 nor an idle worker needs."""
    _author.cache_clear()
    _date.cache_clear()
    keyed.name_fields_clear()
    names_caches_clear()
    heap_trim()


class _Committer(Protocol):
    def commit(
        self,
        *,
        checkpoint: dict[str, Any],
        records: Sequence[PaperRecord] = (),
        processed: int = 0,
        total: int | None = None,
        suppressed: int = 0,
    ) -> None: ...


def _import(
    ctx: RunContext,
    pipeline: _Committer,
    collector: CollectorPause,
    path: str,
    keep: CategoryFilter,
    skip_invalid: bool,
) -> None:
    """From the run's last committed checkpoint to the end of the file."""
    size = os.path.getsize(path)
    batch_size = snapshot_parameters(ctx.run).batch_size or settings.SOURCING_SNAPSHOT_BATCH_SIZE
    cp = dict(ctx.run.checkpoint) or {"offset": 0, "line": 0, "skipped": 0}
    progress = _Progress(
        pipeline, collector, raw=None, size=size, reported=ctx.run.processed, cp=cp
    )
    progress.suppression = ctx.suppression
    stream, raw = open_snapshot(path)
    progress.raw = raw
    limit = _batch_limit(ctx, batch_size)
    with raw, stream:
        batch: list[PaperRecord] = []
        line_no, offset, skipped = cp["line"], cp["offset"], cp["skipped"]
        for line, end in iter_lines(stream, cp["offset"]):
            line_no += 1
            if keep.may_keep_raw(line):
                try:
                    record = parse_record(orjson.loads(line))
                except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
                    if not skip_invalid:
                        progress.flush(batch, line_no - 1, offset, skipped)
                        raise PermanentSourcingError(
                            f"snapshot line {line_no} (byte {offset}) is truncated or not a "
                            f"valid record: {exc}"
                        ) from exc
                    skipped += 1
                else:
                    if keep.keeps(record.categories):
                        batch.append(record)
            offset = end
            if len(batch) >= limit:
                progress.flush(batch, line_no, offset, skipped)
                batch = []
                limit = _batch_limit(ctx, batch_size)
        progress.flush(batch, line_no, offset, skipped, final=True)


def _batch_limit(ctx: RunContext, batch_size: int) -> int:
    """Records in the next batch: fewer when memory runs short (``PeopleCache.batch_share``)."""
    return max(1, int(batch_size * ctx.people.batch_share))


class _Progress:
    """Commits batches with their checkpoint and the bytes of the file they advanced."""

    def __init__(
        self,
        pipeline: _Committer,
        collector: CollectorPause,
        raw: IO[bytes] | None,
        size: int,
        reported: int,
        cp: dict[str, Any],
    ) -> None:
        self.pipeline, self.collector, self.raw, self.size, self.reported, self.cp = (
            pipeline, collector, raw, size, reported, cp
        )  # fmt: skip
        self.suppression: SuppressionSet | None = None

    def flush(
        self,
        batch: list[PaperRecord],
        line_no: int,
        offset: int,
        skipped: int,
        final: bool = False,
    ) -> None:
        """Commit ``batch`` with the checkpoint after ``line_no``."""
        new = {"offset": offset, "line": line_no, "skipped": skipped}
        if not batch and all(self.cp.get(key) == value for key, value in new.items()):
            return
        position = self.size if final or self.raw is None else min(self.size, self.raw.tell())
        # Erased and objecting people become anonymous slots before anything is decided.
        suppressed = records_suppress(batch, self.suppression) if self.suppression else 0
        self.pipeline.commit(
            checkpoint=new,
            records=batch,
            processed=max(0, position - self.reported),
            total=self.size,
            suppressed=suppressed,
        )
        self.reported = max(self.reported, position)
        self.cp = new
        self.collector.batch_done()


# --- Two passes (PostgreSQL, large files): sourcing.store.keyed --------------------------------

# Papers whose first authors a batch of pass 3 ranks.
PROSPECT_BATCH = 5_000


def _two_pass(ctx: RunContext, path: str) -> bool:
    """Whether this run imports in two passes: decided when it starts (and kept in its
    checkpoint): on PostgreSQL, outside a caller's transaction, for files of at least
    ``SOURCING_SNAPSHOT_TWO_PASS_BYTES`` (64 MB by default, ~45,000 records; smaller imports
    are decided batch by batch, their people visible as each batch commits)."""
    if ctx.run.checkpoint:
        return bool(ctx.run.checkpoint.get("keyed"))
    threshold = settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and threshold is not None
        and os.path.getsize(path) >= threshold
    )


@dataclass
class _StageBatch:
    expected: dict[str, Any]
    checkpoint: dict[str, Any]
    records: Sequence[PaperRecord]
    processed: int
    total: int | None
    suppressed: int
    arxiv_ids: frozenset[str] = frozenset()


class _Stager:
    """Pass 1's commits, each batch staged with the run's next checkpoint while the next one is
    parsed (``WriteThread``). A batch of new papers is planned on the calling thread (ids
    reserved, COPY text encoded) and written by the thread; one holding a paper stored already
    (an import run again) is staged the plain way, under the people lock, once the batch ahead
    has committed, since what it stages depends on the stored authorships. Batches commit in
    order; a batch sharing a paper with the one in flight waits for it before it is planned."""

    def __init__(self, ctx: RunContext, writer: WriteThread) -> None:
        self.ctx = ctx
        self.writer = writer
        self.expected = copy.deepcopy(ctx.run.checkpoint)
        self.in_flight: _StageBatch | None = None
        # Whether a batch is looked up for stored papers before it is planned. Not until one
        # is found stored when written: a first import (what the two passes are for) stores
        # none, and the look-ups kept this thread waiting on PostgreSQL 0.2 s a 100,000
        # records. A run that meets one (an import run again, a paper twice in the file,
        # another run storing it meanwhile) looks from then on: its batch is staged again the
        # plain way, as it would have been.
        self.look = False

    def commit(
        self,
        *,
        checkpoint: dict[str, Any],
        records: Sequence[PaperRecord] = (),
        processed: int = 0,
        total: int | None = None,
        suppressed: int = 0,
    ) -> None:
        if self.in_flight is not None and not self.in_flight.arxiv_ids.isdisjoint(
            r.arxiv_id for r in records
        ):
            self.finish()
        while True:
            plan = keyed.plan_stage(records, seq=int(self.expected.get("seq", 0)), look=self.look)
            if self.finish():
                break
            # The batch ahead was staged again the plain way: planned again on what it wrote.
        batch = _StageBatch(
            self.expected,
            {**self.expected, **checkpoint},
            records,
            processed,
            total,
            suppressed,
        )
        if plan is None:
            self._plain(batch)
            return
        batch.checkpoint["seq"] = int(self.expected.get("seq", 0)) + plan.staged.mentions
        batch.arxiv_ids = plan.arxiv_ids
        self.writer.submit(
            sourcing_run_commit_stage_plan,
            run_id=self.ctx.run.pk,
            expected_checkpoint=batch.expected,
            checkpoint=copy.deepcopy(batch.checkpoint),
            plan=plan,
            processed=processed,
            total=total,
            suppressed=suppressed,
        )
        self.in_flight = batch
        self.expected = copy.deepcopy(batch.checkpoint)

    def finish(self) -> bool:
        """Wait for the batch in flight; ``False`` when it was rejected (a paper stored
        meanwhile) and has been staged again the plain way."""
        batch, self.in_flight = self.in_flight, None
        if batch is None:
            return True
        try:
            run = self.writer.result()
        except PeopleChanged as exc:
            logger.info("run %s stages its batch again, under the lock: %s", self.ctx.run.pk, exc)
            self.look = True
            self._plain(batch)
            return False
        self.ctx.committed(run)
        return True

    def settle(self) -> None:
        """With an error on its way (a bad line, after the batch before it was handed over):
        the batch in flight commits, or is staged again, before the run is judged; the error
        on its way is the one reported."""
        try:
            self.finish()
        except Exception as late:
            logger.warning("run %s, batch in flight: %r", self.ctx.run.pk, late)

    def _plain(self, batch: _StageBatch) -> None:
        run, _staged = sourcing_run_commit_staged(
            run_id=self.ctx.run.pk,
            expected_checkpoint=batch.expected,
            checkpoint=batch.checkpoint,
            records=batch.records,
            processed=batch.processed,
            total=batch.total,
            suppressed=batch.suppressed,
        )
        self.expected = copy.deepcopy(run.checkpoint)
        self.ctx.committed(run)


def _phase(ctx: RunContext, phase: str, *, total: int | None = None, **more: Any) -> None:
    """Move the run to its next pass, with its checkpoint."""
    ctx.commit(
        checkpoint={**copy.deepcopy(ctx.run.checkpoint), "phase": phase, **more}, total=total
    )


@dataclass
class _Chunk:
    plan: keyed.ChunkPlan
    expected: dict[str, Any]
    checkpoint: dict[str, Any]


def _people_pass(ctx: RunContext, collector: CollectorPause, helper: HelperProcess | None) -> None:
    """Pass 2: round after round of chunks of keys, each round decided while the one before it
    is written (``WriteThread``): chunks hold different keys, so no decision waits for the
    chunk ahead. A round is two chunks, one decided by a helper process while this process
    decides the other (``SOURCING_SNAPSHOT_HELPER_PROCESS``); without it, one chunk, whose rows
    were selected while the chunk before it was decided (``_SelectAhead``). Each chunk is
    written only if nobody else changed people since it was decided (the people generation,
    as in ``sourcing.runs.pipeline``); otherwise it is decided again under the people lock, and
    so are the chunks decided behind it."""
    run_id = ctx.run.pk
    expected = copy.deepcopy(ctx.run.checkpoint)
    generation: int | None = None
    in_flight: list[_Chunk] = []
    with (
        closing(WriteThread(f"run-{run_id}")) as writer,
        closing(_SelectAhead(run_id)) as ahead,
    ):
        while expected["phase"] == "people" or in_flight:
            planned: list[_Chunk] = []
            if expected["phase"] == "people":
                if generation is None:
                    generation = people_generation()
                planned = _plan_round(run_id, expected, generation, helper, ahead)
            if in_flight and not _round_committed(ctx, writer, in_flight):
                # This round was decided on people someone changed: decided again.
                generation = None
                in_flight = []
                expected = copy.deepcopy(ctx.run.checkpoint)
                continue
            for _chunk in in_flight:
                collector.batch_done()
            in_flight = []
            if not planned:
                break
            writer.submit(_write_round, run_id=run_id, chunks=planned)
            in_flight = planned
            expected = copy.deepcopy(planned[-1].checkpoint)
            generation = planned[-1].plan.generation + 1  # type: ignore[operator]


class _SelectAhead:
    """The chunk after the one being decided, selected on a thread of its own with its own
    connection (``keyed.select_chunk``) while this thread decides. At 100,000 records the
    deciding thread waited 0.5 s of a 5.3 s pass for PostgreSQL to find and send its rows, and
    0.15 s for the chunks' last keys; selected ahead, the pass took 5.33 s against 5.58 s (the
    means of five imports each, back to back: both cores are busy by then, so only part of the
    wait turns into time saved), for ~9 MB more at the peak (the next chunk's rows, held by
    the client library). A chunk asked for after another than the one selected ahead (a round
    decided again) is selected then, on the spot."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.thread = WriteThread(f"run-{run_id}-select")
        self.after: str | None = None  # the chunk being selected, by the key it starts after

    def take(self, after: str) -> keyed.SelectedChunk:
        """The chunk after ``after``, with the one after it set selecting."""
        mentions = settings.SOURCING_SNAPSHOT_CHUNK_MENTIONS
        selecting, self.after = self.after, None
        chunk: keyed.SelectedChunk | None = None
        if selecting is not None:
            chunk = self.thread.result()
            if selecting != after:
                chunk.cursor.close()
                chunk = None
        if chunk is None:
            self.thread.submit(
                keyed.select_chunk, run_id=self.run_id, after=after, mentions=mentions
            )
            chunk = self.thread.result()
        if chunk.until is not None:
            self.thread.submit(
                keyed.select_chunk, run_id=self.run_id, after=chunk.until, mentions=mentions
            )
            self.after = chunk.until
        return chunk

    def close(self) -> None:
        """Let a selection in flight end, then close the thread and its connection."""
        self.thread.close()


def _plan_round(
    run_id: int,
    expected: dict[str, Any],
    generation: int,
    helper: HelperProcess | None,
    ahead: _SelectAhead,
) -> list[_Chunk]:
    """The next chunk, and with a helper the one after it, decided at the same time; each with
    the checkpoint it moves the run to and the people generation it expects to find."""
    after, mentions = expected["after"], settings.SOURCING_SNAPSHOT_CHUNK_MENTIONS
    if helper is None:
        chunk = ahead.take(after)
        plans = [keyed.plan_keys(run_id, after=after, until=chunk.until, selected=chunk)]
    elif (until := keyed.chunk_end(run_id, after=after, mentions=mentions)) is None:
        plans = [keyed.plan_keys(run_id, after=after, until=until)]
    else:
        last = keyed.chunk_end(run_id, after=until, mentions=mentions)
        helper.submit(_plan_keys, run_id=run_id, after=after, until=until)
        try:
            second = keyed.plan_keys(run_id, after=until, until=last)
        except BaseException:
            helper.settle()
            raise
        plans = [helper.result(), second]
    chunks = []
    for plan in plans:
        plan.generation = generation
        generation += 1
        ended = {"phase": "prospects", "prospects_after": -1} if plan.end else {}
        checkpoint = {**expected, "after": plan.last_key, **ended}
        chunks.append(_Chunk(plan, expected, checkpoint))
        expected = checkpoint
    return chunks


def _plan_keys(**kwargs: Any) -> keyed.ChunkPlan:
    """``keyed.plan_keys``, sent to the helper by this function's name and looked up there."""
    return keyed.plan_keys(**kwargs)


def _write_round(
    *, run_id: int, chunks: Sequence[_Chunk]
) -> tuple[list[SourcingRun], int | None, PeopleChanged | None]:
    """On the writer thread: the round's chunks in order, each in its own transaction; stops at
    the first one rejected (``PeopleChanged``), whose index it returns with the reason."""
    runs: list[SourcingRun] = []
    for index, chunk in enumerate(chunks):
        try:
            run = sourcing_run_commit_chunk(
                run_id=run_id,
                expected_checkpoint=chunk.expected,
                checkpoint=copy.deepcopy(chunk.checkpoint),
                plan=chunk.plan,
            )
        except PeopleChanged as exc:
            return runs, index, exc
        runs.append(run)
    return runs, None, None


def _round_committed(ctx: RunContext, writer: WriteThread, chunks: Sequence[_Chunk]) -> bool:
    """Wait for the round in flight; ``False`` when a chunk of it was rejected: that chunk and
    those after it have then been decided again and committed under the people lock."""
    runs, rejected, reason = writer.result()
    for run in runs:
        ctx.committed(run)
    if rejected is None:
        return True
    logger.info("run %s decides its chunks again, under the lock: %s", ctx.run.pk, reason)
    for chunk in chunks[rejected:]:
        run, _decided = sourcing_run_commit_people(
            run_id=ctx.run.pk,
            expected_checkpoint=chunk.expected,
            checkpoint=copy.deepcopy(chunk.checkpoint),
            until=None if chunk.plan.end else chunk.plan.last_key,
        )
        ctx.committed(run)
    return False


def _import_two_pass(
    ctx: RunContext, collector: CollectorPause, path: str, keep: CategoryFilter, skip_invalid: bool
) -> None:
    """Pass 1 (papers, mentions staged) to the end of the file, pass 2 (people, key by key),
    pass 3 (prospects, when the run has a role); each commit carries the checkpoint of the pass
    it is in, and the commit that ends a pass moves the checkpoint to the next one."""
    run_id = ctx.run.pk
    if not ctx.run.checkpoint:
        keyed.stage_drop(run_id)  # a run started again from nothing
        # Counted before any paper is written: the second pass looks its papers up again only
        # if some paper went since (``bulk.write``).
        removed = bulk.paper_removals()
        _phase(
            ctx, "papers", offset=0, line=0, skipped=0, seq=0, keyed=True, papers_removed=removed
        )
    if ctx.run.checkpoint["phase"] != "done":
        staged = keyed.stage_count(run_id)
        if staged is None and ctx.run.checkpoint["seq"] == 0:
            keyed.stage_create(run_id)
        elif staged != ctx.run.checkpoint["seq"]:
            raise PermanentSourcingError(
                f"snapshot run {run_id}: its staged author mentions are gone (a database "
                "restart empties them, and a stopped run's are dropped after "
                f"{settings.SOURCING_STAGE_KEEP_DAYS} days); start the import again (every "
                "write is an upsert)"
            )
    helper = None
    if ctx.run.checkpoint["phase"] in ("papers", "people") and (
        settings.SOURCING_SNAPSHOT_HELPER_PROCESS
    ):
        # Forked before the first pass grows this process's heap: the helper shares Django's
        # pages and makes its own only for what it decides (forked after the first pass, its
        # own pages came to 87 MB at 800,000 records, against 68 MB).
        helper = HelperProcess(f"run-{run_id}")
    with closing(helper) if helper is not None else nullcontext():
        if ctx.run.checkpoint["phase"] == "papers":
            with closing(WriteThread(f"run-{run_id}")) as writer:
                stager = _Stager(ctx, writer)
                try:
                    _import(ctx, stager, collector, path, keep, skip_invalid)
                except BaseException:
                    stager.settle()
                    raise
                stager.finish()
                _caches_clear()  # names are parsed no more: room for pass 2's largest keys
                # PostgreSQL's work between the passes, on two connections at once.
                writer.submit(keyed.papers_vacuum)
                keyed.stage_index(run_id, ranks=ctx.run.role_profile is not None)
                writer.result()
            size, mentions = os.path.getsize(path), ctx.run.checkpoint["seq"]
            ranked = keyed.first_author_count(run_id) if ctx.run.role_profile is not None else 0
            # Each later pass's span in the run's count, for its own progress (``pass_progress``).
            passes = {"people": [size, mentions], "prospects": [size + mentions, ranked]}
            _phase(ctx, "people", total=size + mentions + ranked, after="", passes=passes)
        if ctx.run.checkpoint["phase"] == "people":
            _people_pass(ctx, collector, helper)
    while ctx.run.checkpoint["phase"] == "prospects":
        current = copy.deepcopy(ctx.run.checkpoint)
        firsts = (
            keyed.first_authors_after(
                run_id, after=current["prospects_after"], limit=PROSPECT_BATCH
            )
            if ctx.run.role_profile is not None
            else []
        )
        ended = {"phase": "done"} if len(firsts) < PROSPECT_BATCH else {}
        run = sourcing_run_commit_prospects(
            run_id=run_id,
            expected_checkpoint=current,
            checkpoint={**current, **ended},
            first_authors=firsts,
        )
        ctx.committed(run)
    keyed.stage_drop(run_id)
