"""Overlapping a run's batches: while one batch is written to PostgreSQL (in a thread with its own
connection), the next is parsed and decided. A snapshot import spends about as long waiting for
the database as deciding in Python; overlapping the two halves is worth most of one of them.

At most one batch is in flight, and the next is only submitted once it committed, so batches
still commit in order, each whole with its checkpoint (``sourcing_run_commit_plan``).
What the overlap changes is when a batch's decisions are made: before the batch ahead of it has
committed, without the people lock. That is safe because

* the people the in-flight batch touches are all in the run's people cache, and the cache never
  evicts them before it commits (``PeopleCache.settle(protect=...)``), so nothing the next batch
  reads from the database can predate the in-flight batch's changes;
* a batch whose papers overlap the in-flight batch's waits for that commit before looking them
  up (else it would plan as new a paper about to be stored);
* each plan carries the people generation it was decided at; its writer checks it under the
  people lock (which merges, splits and other runs' batches take too) and raises
  ``PeopleChanged`` when someone else changed people meanwhile, or when a row it planned as new
  was stored meanwhile. The rejected batch is then committed again the plain way, decided and
  written under the lock in one transaction, and the batch decided behind it is decided again.

Elsewhere (SQLite, or inside a caller's transaction, as in most tests) each batch is decided and
written in one go, exactly as ``RunContext.commit`` does.

The write thread is ``sourcing.runs.writer.WriteThread``."""

from __future__ import annotations

import copy
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from django.db import connection

from sourcing.errors import PeopleChanged
from sourcing.models import SourcingRun
from sourcing.people.generation import people_generation
from sourcing.records import PaperRecord
from sourcing.runs.batches import sourcing_run_commit_plan
from sourcing.runs.context import RunContext
from sourcing.runs.writer import WriteThread
from sourcing.store.ingest import plan_batch

logger = logging.getLogger(__name__)


@dataclass
class _Batch:
    checkpoint: dict[str, Any]
    records: Sequence[PaperRecord]
    processed: int
    total: int | None
    suppressed: int = 0


class BatchPipeline:
    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.overlap = connection.vendor == "postgresql" and not connection.in_atomic_block
        self._writer = WriteThread(f"run-{ctx.run.pk}")
        self._pending_ids: frozenset[str] = frozenset()
        self._checkpoint: dict[str, Any] = copy.deepcopy(ctx.run.checkpoint)
        self._generation: int | None = None
        self._batch: _Batch | None = None

    def __enter__(self) -> BatchPipeline:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc is None:
                self._collect()
            elif self._writer.busy:
                # The batch in flight ends (commits, or is committed again the plain way) before
                # the run is judged; the error already on its way is the one reported.
                try:
                    self._collect()
                except Exception as late:
                    logger.warning("run %s, batch in flight: %r", self.ctx.run.pk, late)
        finally:
            self._writer.close()

    def commit(
        self,
        *,
        checkpoint: dict[str, Any],
        records: Sequence[PaperRecord] = (),
        processed: int = 0,
        total: int | None = None,
        suppressed: int = 0,
    ) -> None:
        """Commit a batch with the run's next checkpoint: at once when not overlapping, else
        decide it now and hand it to the writer once the batch ahead of it committed."""
        if not self.overlap:
            self.ctx.commit(
                checkpoint=checkpoint,
                records=records,
                processed=processed,
                total=total,
                suppressed=suppressed,
            )
            return
        people = self.ctx.people
        if self._writer.busy and not self._pending_ids.isdisjoint(r.arxiv_id for r in records):
            self._collect()
        while True:
            if self._generation is None:
                self._generation = people_generation()
            generation = self._generation
            plan = None
            try:
                if records:
                    people.begin(generation)
                    plan = plan_batch(records, people)
                    plan.generation = generation
                replayed = self._collect()
            except BaseException:
                people.invalidate()  # holds a decided batch that will not be written
                raise
            if not replayed:
                break
            # The batch ahead was rejected and committed again: this one was decided on what
            # that batch had decided, so it is decided again.
        if plan is not None:
            generation += 1  # the writer's bump, once it commits
            people.settle(created=plan.created, generation=generation, protect=plan.keys)
            self._pending_ids = plan.arxiv_ids
        self._batch = _Batch(copy.deepcopy(checkpoint), records, processed, total, suppressed)
        self._writer.submit(
            sourcing_run_commit_plan,
            run_id=self.ctx.run.pk,
            expected_checkpoint=self._checkpoint,
            checkpoint=copy.deepcopy(checkpoint),
            plan=plan if plan is not None else plan_batch((), people),
            processed=processed,
            total=total,
            suppressed=suppressed,
        )
        self._checkpoint = copy.deepcopy(checkpoint)
        self._generation = generation

    def _collect(self) -> bool:
        """Wait for the batch in flight; raises what its commit raised, except ``PeopleChanged``:
        that batch is then committed again the plain way (returns ``True``)."""
        if not self._writer.busy:
            return False
        self._pending_ids = frozenset()
        try:
            run: SourcingRun = self._writer.result()
        except PeopleChanged as exc:
            self.ctx.people.invalidate()
            self._generation = None
            batch = self._batch
            assert batch is not None  # set with every submission
            logger.info("run %s decides its batch again, under the lock: %s", self.ctx.run.pk, exc)
            self.ctx.commit(
                checkpoint=batch.checkpoint,
                records=batch.records,
                processed=batch.processed,
                total=batch.total,
                suppressed=batch.suppressed,
            )
            return True
        except BaseException:
            self.ctx.people.invalidate()
            self._generation = None
            raise
        self.ctx.committed(run)
        return False
