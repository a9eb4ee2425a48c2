"""The one shape every way in (query API, snapshot, OAI-PMH) is parsed into before it is written,
so the writing, disambiguation and ranking code never cares where a paper came from."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from sourcing.people.names import NameParts

_VERSION_RE = re.compile(r"v(\d+)$")


class AuthorRecord(NamedTuple):
    """A tuple, not a dataclass: a snapshot import builds one per author of millions of papers.

    An author whose ``raw`` name is the empty string is an *erased slot* (an author who asked
    to be forgotten): it keeps its position in the paper's list, so the other authors keep
    theirs and their ``is_last`` flags, but it is no one. Ingest gives it no ``Authorship`` and
    no ``Person``, never resolves it, counts it as nobody's co-author, and deletes the
    authorship a stored paper had at its position (``sourcing.store.ingest``). ``parts`` and
    ``affiliation`` of an erased slot are ignored."""

    raw: str
    parts: NameParts
    affiliation: str = ""

    @property
    def erased(self) -> bool:
        return not self.raw


@dataclass(slots=True)
class PaperRecord:
    arxiv_id: str
    title: str
    latest_version: int = 1
    abstract: str = ""
    categories: list[str] = field(default_factory=list)
    primary_category: str = ""
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    comment: str = ""
    journal_ref: str = ""
    doi: str = ""
    authors: list[AuthorRecord] = field(default_factory=list)


def split_version(short_id: str) -> tuple[str, int]:
    """``2106.01234v3`` -> ``("2106.01234", 3)``; ids without a version are version 1."""
    match = _VERSION_RE.search(short_id)
    if not match:
        return short_id, 1
    return short_id[: match.start()], int(match.group(1))
