from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from sourcing.management.commands._runs import RunCommand
from sourcing.models import SourcingRun


class Command(RunCommand):
    help = "Source papers and first-author candidates through the arXiv query API."
    kind = SourcingRun.Kind.API
    unit = "papers"

    def add_arguments(self, parser: ArgumentParser) -> None:
        self.add_run_arguments(parser)
        parser.add_argument("--query", help="arXiv search_query (default: built from the role)")
        parser.add_argument("--from", dest="from_date", help="Submitted on or after YYYY-MM-DD")
        parser.add_argument("--to", dest="to_date", help="Submitted on or before YYYY-MM-DD")
        parser.add_argument("--max-results", type=int, default=None)
        parser.add_argument("--page-size", type=int, default=None, help="At most 2000")

    def parameters(self, options: dict[str, Any]) -> dict[str, Any]:
        keys = {
            "query": options.get("query"),
            "from": options.get("from_date"),
            "to": options.get("to_date"),
            "max_results": options.get("max_results"),
            "page_size": options.get("page_size"),
        }
        return {k: v for k, v in keys.items() if v}
