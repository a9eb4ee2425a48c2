"""What names a person, gathered before an erasure: their names and name forms, addresses,
logins and other identifiers, from every app (``candidate_identifying``), and how to scrub them
out of free text.

Two strengths: ``scrub_all`` also removes each name *token* ("Vaswani" alone) and is used on the
person's own records (their scorecards, notes, messages), where a token can only mean them;
``scrub_strong`` removes whole names, addresses and logins only, and is used on everything else
(other people's events, the admin's log), where "Li" alone may well be someone else."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

ERASED = "[erased]"
_TOKEN = re.compile(r"[^\W\d_]{2,}(?:['\u2019-][^\W\d_]+)*")
# Logins and tokens this short match too much of ordinary text to be scrubbed globally.
_MIN_STRONG = 3


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    variants = set()
    for raw in terms:
        term = raw.strip()
        if term:
            variants.add(term)
            variants.add(_plain(term))
    if not variants:
        return None
    # Longest first, so "Ashish Vaswani" is replaced whole before "Vaswani" could be.
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass
class PersonTerms:
    names: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    logins: set[str] = field(default_factory=set)
    other: set[str] = field(default_factory=set)  # ORCID, homepage, profile URLs
    # Suppression kind -> raw values to hash onto the list (``hiring.services.suppression``).
    identifiers: dict[str, set[str]] = field(default_factory=dict)

    def add_name(self, name: str | None) -> None:
        name = (name or "").strip()
        if not name:
            return
        self.names.add(name)
        last, comma, first = name.partition(",")
        if comma and first.strip():  # "Vaswani, Ashish" is also written "Ashish Vaswani"
            self.names.add(f"{first.strip()} {last.strip()}")

    def add_identifier(self, kind: str, value: str | None) -> None:
        if value and value.strip():
            self.identifiers.setdefault(kind, set()).add(value.strip())

    @property
    def tokens(self) -> set[str]:
        found: set[str] = set()
        for name in self.names:
            found.update(m.group(0) for m in _TOKEN.finditer(name))
        return found

    def strong(self) -> list[str]:
        """Whole names, addresses, logins and identifiers, longest first."""
        terms = {
            t
            for t in (*self.names, *self.emails, *self.logins, *self.other)
            if len(t.strip()) >= _MIN_STRONG
        }
        return sorted(terms, key=len, reverse=True)

    @cached_property
    def _strong_pattern(self) -> re.Pattern[str] | None:
        return _pattern(self.strong())

    @cached_property
    def _all_pattern(self) -> re.Pattern[str] | None:
        return _pattern([*self.strong(), *self.tokens])

    def scrub_strong(self, text: str) -> str:
        pattern = self._strong_pattern
        return pattern.sub(ERASED, text) if pattern and text else text

    def scrub_all(self, text: str) -> str:
        pattern = self._all_pattern
        return pattern.sub(ERASED, text) if pattern and text else text

    def mentioned_in(self, text: str) -> bool:
        pattern = self._all_pattern
        return bool(pattern and text and pattern.search(text))
