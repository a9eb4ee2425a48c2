"""Thin Celery tasks: they take ids and call services. Idempotent by construction: a run is
claimed by compare-and-set and continues from its checkpoint; rows are upserted on natural keys
(repository full name, owner login, paper + repository). Beat's tasks are in
``sourcing.github.schedules``: they start runs through the launch service, which delivers here."""

from __future__ import annotations

from celery import shared_task

from sourcing.github import execution


@shared_task(
    name="sourcing.github.tasks.implementation_run_execute", acks_late=True, ignore_result=True
)
def implementation_run_execute(run_id: int) -> None:
    # Upstream failures end on the run itself (status failed + error), so nothing is retried
    # blindly here; rate limits are waited out inside the client, within a cap.
    outcome = execution.implementation_run_execute(run_id=run_id)
    # An opening's run creates its papers' runs; they are delivered from here, as the launch
    # service delivers the runs it creates.
    for child_id in outcome.children if outcome is not None else ():
        implementation_run_execute.delay(child_id)
