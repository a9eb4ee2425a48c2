"""Is a GitHub owner one of the paper's authors? Names are compared with the arXiv helper's
normalisation (``sourcing.people.names``), so "Lovelace, Ada", "Ada Lovelace" and "Ada LOVELACE"
agree, and "A. Lovelace" agrees with "Ada Lovelace" but never decides alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sourcing.people.names import NameParts, fold, initials_compatible, parse_name

# Shorter surnames ("Li", "Wu") would match too many logins to be evidence of authorship.
MIN_SURNAME_LETTERS = 3


@dataclass(frozen=True)
class Author:
    name: str
    person_id: int | None = None


@dataclass(frozen=True)
class AuthorMatch:
    author: Author
    how: str  # "profile name" or "login"
    strong: bool  # full given name agrees (not just an initial)


def _names_agree(profile: NameParts, author: NameParts) -> tuple[bool, bool]:
    """``(agree, strong)``."""
    if not profile.surname_key or profile.surname_key != author.surname_key:
        return False, False
    if profile.full_key and author.full_key:
        same = profile.full_key == author.full_key
        return same, same
    if not profile.initials or not author.initials:
        return False, False
    return initials_compatible(profile.initials, author.initials), False


def _login_forms(author: NameParts) -> set[str]:
    first, last = author.first_given, author.surname_key
    if not first or len(last) < MIN_SURNAME_LETTERS:
        return set()
    return {first + last, first[0] + last, last + first, last + first[0]}


def match_owner(*, profile_name: str, login: str, authors: Sequence[Author]) -> AuthorMatch | None:
    """The author the owner is, by profile name first and login second; None when neither fits."""
    profile = parse_name(profile_name) if profile_name.strip() else None
    weak: AuthorMatch | None = None
    for author in authors:
        parts = parse_name(author.name)
        if profile is not None:
            agree, strong = _names_agree(profile, parts)
            if agree and strong:
                return AuthorMatch(author, "profile name", strong=True)
            if agree and weak is None:
                weak = AuthorMatch(author, "profile name", strong=False)
        if fold(login) in _login_forms(parts) and weak is None:
            weak = AuthorMatch(author, "login", strong=False)
    return weak
