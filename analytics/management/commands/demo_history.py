"""Generate a realistic demo hiring history (``analytics.demo``) so the dashboard, funnel,
calibration and forecast have something to show. Never on production data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics import demo


class Command(BaseCommand):
    help = (
        "Write a generated hiring history (openings, applications with their stage history, "
        "interviews, scorecards, take-home grades) for demos. Refuses under production settings, "
        "and when the database holds openings it did not generate unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--openings", type=int, default=16)
        parser.add_argument("--applicants", type=int, default=250, help="Per opening, on average.")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Write even though openings exist (real ones, or an earlier demo batch).",
        )

    def handle(self, *args: Any, openings: int, applicants: int, seed: int, force: bool,
               **options: Any) -> None:  # fmt: skip
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError(
                "Refusing to generate demo data under production settings "
                f"({settings.SETTINGS_MODULE})."
            )
        if demo.has_real_data() and not force:
            raise CommandError(
                "Refusing: this database already holds openings that are not demo data. "
                "Use an empty database, or --force if you really mean to mix them."
            )
        if demo.has_demo_data() and not force:
            raise CommandError("Demo data is already there; --force adds another batch.")
        written = demo.generate(openings=openings, applicants_per_opening=applicants, seed=seed)
        self.stdout.write(
            f"Generated {written.openings} openings, {written.applications} applications, "
            f"{written.stage_changes} stage changes, {written.scorecards} scorecards, "
            f"{written.grades} take-home grades."
        )
