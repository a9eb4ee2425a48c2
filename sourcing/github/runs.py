"""Creating re-implementation runs, without delivering them: the launch service delivers what it
creates, and an opening's run creates its papers' runs for its task to deliver."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from core.requester import Actor, actor
from sourcing.github.models import ImplementationRun
from sourcing.models import Paper

Run = ImplementationRun


def implementation_run_create_for_paper(
    *, paper: Paper, by: Actor = None, parent: ImplementationRun | None = None
) -> tuple[ImplementationRun, bool]:
    """A queued run for ``paper``; returns ``(run, created)``. Idempotent: while a run for the
    paper is queued or running, that run is returned (the partial unique constraint settles a
    race between two starts)."""
    active = Run.objects.filter(kind=Run.Kind.PAPER, paper=paper, status__in=Run.ACTIVE)
    if existing := active.first():
        return existing, False
    try:
        with transaction.atomic():
            run = Run.objects.create(
                kind=Run.Kind.PAPER, paper=paper, parent=parent, requested_by=actor(by)
            )
    except IntegrityError:
        return active.get(), False
    return run, True
