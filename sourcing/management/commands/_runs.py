"""What the three sourcing commands share: resolve the role, create or resume the run, execute it
in this process with a progress bar (or enqueue it with ``--async``), report the outcome."""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hiring.models import RoleProfile
from sourcing import launch
from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.models import SourcingRun
from sourcing.selectors import run_progress_terms

BAR_WIDTH = 30


class ProgressBar:
    def __init__(self, stream: Any, unit: str) -> None:
        self.stream = stream
        self.unit = unit
        self.started = time.monotonic()
        self.width = 0

    def __call__(self, run: SourcingRun) -> None:
        done, total = run.pass_progress
        total = total or 0
        done = min(done, total) if total else done
        filled = int(BAR_WIDTH * done / total) if total else 0
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        figures = f"{done}/{total}" if total else str(done)
        unit, stage = run_progress_terms(run)
        if run.kind != SourcingRun.Kind.SNAPSHOT:
            unit = self.unit
        line = (
            f"[{bar}] {figures}{f' {unit}' if unit else ''}{f' ({stage})' if stage else ''}"
            f" | papers {run.papers_count} people {run.people_count} "
            f"candidates {run.candidates_count} ({time.monotonic() - self.started:.0f}s)"
        )
        # Padded to the longest line yet: a shorter one would leave the end of the last.
        self.width = max(self.width, len(line))
        self.stream.write(f"\r{line.ljust(self.width)}")
        self.stream.flush()


class RunCommand(BaseCommand):
    kind: str
    unit = "records"

    def add_run_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--role", help="Role profile slug: rank prospects and make candidates")
        parser.add_argument("--resume", type=int, help="Resume this failed or cancelled run id")
        parser.add_argument(
            "--async", dest="enqueue", action="store_true", help="Enqueue on Celery and return"
        )

    def parameters(self, options: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["enqueue"]:
                run = self._start(options)
                self.stdout.write(f"Enqueued run {run.pk}.")
                return
            run = self._run(options)
        except ValidationError as exc:
            raise CommandError(_explain(exc)) from exc
        bar = ProgressBar(sys.stderr if options.get("verbosity", 1) else None, self.unit)
        outcome = sourcing_run_execute(
            run_id=run.pk, on_progress=bar if options.get("verbosity", 1) else None
        )
        sys.stderr.write("\n")
        run.refresh_from_db()
        summary = (
            f"Run {run.pk} {run.status}: {run.papers_count} papers, {run.people_count} new "
            f"people, {run.candidates_count} new candidates."
        )
        if outcome != "succeeded":
            raise CommandError(f"{summary} {run.error}".strip())
        self.stdout.write(self.style.SUCCESS(summary))

    def _run(self, options: dict[str, Any]) -> SourcingRun:
        if options.get("resume"):
            run = SourcingRun.objects.filter(pk=options["resume"], kind=self.kind).first()
            if run is None:
                raise CommandError(f"No {self.kind} run {options['resume']}.")
            if run.status in (SourcingRun.Status.FAILED, SourcingRun.Status.CANCELLED):
                run = launch.sourcing_run_resume(run=run, deliver=False)
            return run
        return launch.sourcing_run_create(
            kind=self.kind, parameters=self.parameters(options), role_profile=self._role(options)
        )

    def _start(self, options: dict[str, Any]) -> SourcingRun:
        """``--async``: the launch service, as the API and the admin start runs."""
        if options.get("resume"):
            run = SourcingRun.objects.filter(pk=options["resume"], kind=self.kind).first()
            if run is None:
                raise CommandError(f"No {self.kind} run {options['resume']}.")
            return launch.sourcing_run_resume(run=run)
        run, _ = launch.sourcing_run_launch(
            kind=self.kind, parameters=self.parameters(options), role_profile=self._role(options)
        )
        return run

    def _role(self, options: dict[str, Any]) -> RoleProfile | None:
        if not options.get("role"):
            return None
        role = RoleProfile.objects.filter(slug=options["role"]).first()
        if role is None:
            raise CommandError(f"No role profile {options['role']!r}.")
        return role


def _explain(exc: ValidationError) -> str:
    """``--page-size: Expected a whole number from 1 to 2000, not 5000.``: the field named."""
    if not hasattr(exc, "error_dict"):
        return "; ".join(exc.messages)
    return "; ".join(
        f"{field}: {' '.join(str(m) for e in errors for m in e.messages)}"
        if field not in ("non_field_errors", "__all__")
        else " ".join(str(m) for e in errors for m in e.messages)
        for field, errors in exc.error_dict.items()
    )
