"""How a sourcing run can go wrong, by what should happen next."""

from __future__ import annotations


class SourcingError(Exception):
    """Base class; ``str(error)`` is the reason shown on the run."""


class PermanentSourcingError(SourcingError):
    """Retrying cannot help (the API's 400 error feed, malformed XML, an OAI error, a truncated
    snapshot line): the run ends failed with this reason."""


class TransientSourcingError(SourcingError):
    """Timeouts, connection errors, 429/503 that outlasted the in-request retries: the task is
    retried later with backoff and resumes from the run's checkpoint."""


class OutOfTime(SourcingError):
    """The task used its time budget; it re-enqueues itself to continue from the checkpoint."""


class PeopleChanged(TransientSourcingError):
    """A batch decided ahead of its commit (``sourcing.runs.pipeline``, the two-pass snapshot
    import) rests on people or papers someone else changed before it was written. Nothing was
    written; the run goes on from its last commit."""
