"""The interviews admin, where recruiters edit kits, templates and the debugging library, send
take-homes and read scorecards and verdicts. Writes go through ``interviews.services``."""

from interviews.admin import debugging, kits, scorecards, takehomes, verdicts

__all__ = ["debugging", "kits", "scorecards", "takehomes", "verdicts"]
