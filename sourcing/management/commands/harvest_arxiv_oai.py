from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from sourcing.management.commands._runs import RunCommand
from sourcing.models import SourcingRun


class Command(RunCommand):
    help = "Harvest arXiv over OAI-PMH (arXivRaw) from the last datestamp harvested."
    kind = SourcingRun.Kind.OAI

    def add_arguments(self, parser: ArgumentParser) -> None:
        self.add_run_arguments(parser)
        parser.add_argument("--set", dest="set_spec", default="cs", help='OAI set, e.g. "cs"')
        parser.add_argument("--from", dest="from_date", help="YYYY-MM-DD (default: last run)")
        parser.add_argument("--until", dest="until_date", help="YYYY-MM-DD")
        parser.add_argument(
            "--all-roles", action="store_true", help="Rank prospects for every active role"
        )

    def parameters(self, options: dict[str, Any]) -> dict[str, Any]:
        keys = {
            "set": options.get("set_spec"),
            "from": options.get("from_date"),
            "until": options.get("until_date"),
            "all_roles": options.get("all_roles"),
        }
        return {k: v for k, v in keys.items() if v}
