from __future__ import annotations

import os
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from sourcing.management.commands._runs import RunCommand
from sourcing.models import SourcingRun


class Command(RunCommand):
    help = "Import the arXiv JSON-lines metadata snapshot (.jsonl or .gz), resumably."
    kind = SourcingRun.Kind.SNAPSHOT
    unit = "bytes"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", nargs="?", help="Snapshot file (.json, .jsonl or .gz)")
        self.add_run_arguments(parser)
        parser.add_argument(
            "--categories", nargs="*", default=[], help="Keep only these (cs.LG) or archives (cs)"
        )
        parser.add_argument(
            "--batch-size",
            type=_positive,
            help="Matching records committed at a time (default SOURCING_SNAPSHOT_BATCH_SIZE); "
            "smaller batches hold fewer people in memory at once",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Skip and count truncated or invalid lines instead of failing the run",
        )

    def parameters(self, options: dict[str, Any]) -> dict[str, Any]:
        parameters: dict[str, Any] = {"path": os.path.abspath(options["path"] or "")}
        if options["categories"]:
            parameters["categories"] = options["categories"]
        if options["skip_invalid"]:
            parameters["skip_invalid"] = True
        if options["batch_size"]:
            parameters["batch_size"] = options["batch_size"]
        return parameters


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ArgumentTypeError(f"must be a whole number of records, at least 1: {value!r}")
    return number
