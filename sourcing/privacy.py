"""Suppression on the arXiv paths: an author who was erased or objected is not brought back by
the next import. Every engine passes its parsed records through ``records_suppress`` before it
commits a batch; a suppressed author becomes an erased slot (``ERASED_AUTHOR``: no name, no
affiliation), which ingest stores as no authorship at all while keeping the other authors'
positions, so the paper stays and the slot is anonymous.

An author is suppressed by the one mention (``ARXIV_MENTION``: this name on this paper, what an
erasure records for each of the person's authorships, looked up only for authors written as one
of those slots' names, ``ARXIV_SLOT_NAME``) or by a full name (``ARXIV_NAME``). Only a
name with a written-out given name is looked up by name: "A. Vaswani" is every Vaswani with that
initial, so an initials-only form never suppresses anyone, even if one reached the list."""

from __future__ import annotations

from collections.abc import Iterable

from hiring.services.suppression import Kind, SuppressionSet, mention_value
from sourcing.people.names import NameParts
from sourcing.records import AuthorRecord, PaperRecord

ERASED_AUTHOR = AuthorRecord(raw="", parts=NameParts(surname="", given=()), affiliation="")


def author_suppressed(
    suppression: SuppressionSet, *, arxiv_id: str, author: AuthorRecord, by_mention: bool = True
) -> bool:
    """Whether ``author`` of paper ``arxiv_id`` (versionless) is on the list."""
    if not author.raw:
        return False
    # The slot's name first (asked once per name, remembered): only an author written as one of
    # the suppressed slots' names costs the per-paper hash.
    if (
        by_mention
        and suppression.contains(Kind.ARXIV_SLOT_NAME, author.raw)
        and suppression.contains(Kind.ARXIV_MENTION, mention_value(arxiv_id, author.raw))
    ):
        return True
    if not author.parts.first_given:
        return False
    # As written ("Vaswani, Ashish") and in given-name order ("Ashish Vaswani"): the list holds
    # the person's forms in the second shape, the feeds write either.
    return suppression.contains(Kind.ARXIV_NAME, author.raw) or suppression.contains(
        Kind.ARXIV_NAME, author.parts.display
    )


def records_suppress(records: Iterable[PaperRecord], suppression: SuppressionSet) -> int:
    """Replace, in place, every suppressed author of ``records`` by ``ERASED_AUTHOR``; returns
    how many were replaced. Costs nothing per author while the list has no arXiv entries."""
    by_mention = suppression.has(Kind.ARXIV_MENTION)
    if not by_mention and not suppression.has(Kind.ARXIV_NAME):
        return 0
    replaced = 0
    for record in records:
        authors = record.authors
        for position, author in enumerate(authors):
            if author_suppressed(
                suppression, arxiv_id=record.arxiv_id, author=author, by_mention=by_mention
            ):
                authors[position] = ERASED_AUTHOR
                replaced += 1
    return replaced
