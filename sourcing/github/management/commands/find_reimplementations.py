"""``manage.py find_reimplementations ARXIV_ID [...]``: find a paper's official code and its
re-implementations now, in this process, and print what was found."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sourcing.github import execution, launch, selectors
from sourcing.github.models import ImplementationRun
from sourcing.models import Paper
from sourcing.records import split_version


class Command(BaseCommand):
    help = "Find the official code and the re-implementations of arXiv papers on GitHub."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("arxiv_ids", nargs="+", metavar="ARXIV_ID")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = []
        for raw in options["arxiv_ids"]:
            arxiv_id = split_version(raw.strip().removeprefix("arXiv:"))[0]
            paper = Paper.objects.filter(arxiv_id=arxiv_id).first()
            if paper is None:
                raise CommandError(
                    f"Unknown paper {arxiv_id}; import it with arXiv sourcing first, e.g. "
                    "manage.py source_arxiv --query 'ti:\"<its title>\"' --max-results 5"
                )
            run, created = launch.implementation_run_start_for_paper(paper=paper, deliver=False)
            if not created:
                self.stdout.write(f"arXiv:{arxiv_id} already has run {run.pk} ({run.status}).")
            # Here and now; a queued run another worker has not claimed yet is taken over (the
            # claim is a compare-and-set, so the worker's delivery then does nothing).
            execution.implementation_run_execute(run_id=run.pk)
            run.refresh_from_db()
            self._report(paper, run)
            if run.status == ImplementationRun.Status.FAILED:
                failed.append(f"{arxiv_id}: {run.error}")
        if failed:
            raise CommandError("; ".join(failed))

    def _report(self, paper: Paper, run: ImplementationRun) -> None:
        self.stdout.write(f"arXiv:{paper.arxiv_id} {paper.title} — run {run.pk} {run.status}")
        for implementation in selectors.paper_implementations(paper=paper):
            repo = implementation.repository
            candidate = repo.owner.candidate
            self.stdout.write(
                f"  {implementation.verdict:<16} {implementation.confidence:.2f} "
                f"{repo.full_name} ({repo.stars} stars, score {implementation.score:.0f})"
                + (f" → candidate {candidate.pk} {candidate}" if candidate else "")
            )
        for note in run.progress.get("notes", []):
            self.stdout.write(f"  note: {note}")
