"""Author names as arXiv writes them, turned into comparable parts.

arXiv names arrive as "Ashish Vaswani", "Vaswani, Ashish", "A. Vaswani", TeX-escaped
("Bal\\'azs") in the snapshot and OAI feeds, or pre-split as ``[last, first, suffix]`` in the
snapshot's ``authors_parsed``. Everything is reduced to a surname and given-name tokens, compared
without case or accents."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

# TeX accent commands -> Unicode combining marks (NFC composes them afterwards).
_TEX_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
}
_TEX_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "i": "\u0131",  # dotless i
}
_ACCENT_RE = re.compile(r"\\([`'^\"~=.]|[uvHckr](?![a-zA-Z]))\s*\{?\\?([a-zA-Z])\}?")
_LETTER_RE = re.compile(r"\\(ss|aa|AA|ae|AE|oe|[oOlLi])(?![a-zA-Z])\s*(?:\{\})?")
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le", "ter"}
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_AFFILIATION_RE = re.compile(r"\([^()]*\)")
_SPLIT_RE = re.compile(r",\s*and\s+|\s+and\s+|,\s*|;\s*")


def tex_to_unicode(text: str) -> str:
    if "\\" not in text and "{" not in text:
        return text
    text = _ACCENT_RE.sub(lambda m: m.group(2) + _TEX_ACCENTS[m.group(1)], text)
    text = _LETTER_RE.sub(lambda m: _TEX_LETTERS[m.group(1)], text)
    return unicodedata.normalize("NFC", text.replace("{", "").replace("}", ""))


@lru_cache(maxsize=1 << 16)  # the same names and words recur across millions of records
def fold(text: str) -> str:
    """Lower-case ASCII letters only: NFKD, accents dropped, punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum() and c.isascii()).lower()


_INITIAL_SPLIT_RE = re.compile(r"[-.]")
_FIRST_SPLIT_RE = re.compile(r"[.\s]")


def given_keys(given: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """What comparisons read of the given names: their initials, and the first given name when
    written out in full (empty for an initial: "A." or "A")."""
    letters: list[str] = []
    for token in given:
        for part in _INITIAL_SPLIT_RE.split(token):
            if folded := fold(part):
                letters.append(folded[0])
    first = fold(_FIRST_SPLIT_RE.split(given[0], maxsplit=1)[0]) if given else ""
    return tuple(letters), (first if len(first) > 1 else "")


class NameParts:
    """A name as a surname and given-name tokens, with the derived keys every comparison reads
    computed once, on creation. Immutable by convention (shared through the caches below);
    equal when surname and given names are."""

    __slots__ = (
        "display",
        "first_given",
        "full_key",
        "given",
        "initials",
        "name_key",
        "staged",
        "surname",
        "surname_key",
    )

    def __init__(
        self,
        surname: str,
        given: tuple[str, ...],
        keys: tuple[tuple[str, ...], str] | None = None,
    ) -> None:
        """``keys``: ``given_keys(given)``, when the caller has them already."""
        # A memo, not part of the name: the name's fields as a two-pass import stages them
        # (``sourcing.store.keyed``), kept with the parts that the snapshot reader shares per
        # name, so that each name is escaped once while it is shared.
        self.staged: str | None = None
        self.surname = surname
        self.given = given
        self.display = " ".join([*given, surname]).strip()
        self.surname_key = fold(surname)
        self.initials, self.first_given = keys if keys is not None else given_keys(given)
        initials = self.initials
        # Blocking key: people who could be the same share it (surname + first initial).
        # Interned: kept many times over in people's co-author evidence.
        self.name_key = sys.intern(f"{self.surname_key}|{initials[0] if initials else ''}")
        # Comparable full name, empty when only initials are known: those never match alone.
        self.full_key = f"{self.first_given} {self.surname_key}" if self.first_given else ""

    @classmethod
    def known(
        cls, *, display: str, name_key: str, full_key: str, initials: tuple[str, ...]
    ) -> NameParts:
        """Parts derived earlier and stored (a two-pass import's staged mentions): what
        disambiguation reads, without parsing the name again. ``surname`` and ``given`` are not
        kept, so such parts are not for comparing names."""
        parts = cls.__new__(cls)
        parts.display, parts.name_key, parts.full_key = display, sys.intern(name_key), full_key
        parts.initials = initials
        parts.surname = parts.surname_key = name_key.partition("|")[0]
        parts.given = ()
        parts.first_given = full_key.partition(" ")[0]
        parts.staged = None
        return parts

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NameParts):
            return NotImplemented
        return (self.surname, self.given) == (other.surname, other.given)

    def __hash__(self) -> int:
        return hash((self.surname, self.given))

    def __repr__(self) -> str:
        return f"NameParts(surname={self.surname!r}, given={self.given!r})"


def parse_name(raw: str) -> NameParts:
    """Split one author name. "Last, First" is swapped; surname particles (van, de ...) stay
    with the surname; a trailing "Jr." is dropped."""
    name = " ".join(tex_to_unicode(_drop_parentheses(raw)).split())
    if "," in name:
        last, _, first = name.partition(",")
        return _parts(first.strip(), last.strip())
    tokens = [t for t in name.split(" ") if fold(t) not in _SUFFIXES] or name.split(" ")
    if len(tokens) == 1:
        return NameParts(surname=tokens[0], given=())
    cut = len(tokens) - 1
    while cut > 1 and fold(tokens[cut - 1]) in _PARTICLES:
        cut -= 1
    return NameParts(surname=" ".join(tokens[cut:]), given=tuple(tokens[:cut]))


def parts_from_parsed(parsed: list[str]) -> NameParts:
    """The snapshot's ``authors_parsed`` entry: ``[last, first, suffix]``."""
    return _parsed_parts(parsed[0] if parsed else "", parsed[1] if len(parsed) > 1 else "")


def _parsed_parts(last: str, first: str) -> NameParts:
    # Uncached: the snapshot reader caches whole author records (sourcing.arxiv.snapshot); what
    # a name it has not cached costs is mostly its given part's, parsed once per spelling.
    given, keys = _given_part(first)
    return NameParts(surname=" ".join(tex_to_unicode(last).split()), given=given, keys=keys)


@lru_cache(maxsize=1 << 14)
def _given_part(first: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], str]]:
    """A snapshot name's given part (``authors_parsed``' second entry) as ``_parts`` splits it,
    with its ``given_keys``. Given names repeat far more than whole names do: the generated
    2.7-million-record file has 1,980 spellings of them among 10.8 million mentions, and 42 %
    of its mentions miss the reader's cache of whole names in its first 400,000 records (the
    given part was ~half of such a miss's 3 us)."""
    return (given := _given(tex_to_unicode(first))), given_keys(given)


def caches_clear() -> None:
    """The parsing caches' memory back (an import's names are parsed no more)."""
    fold.cache_clear()
    _given_part.cache_clear()


def _given(first: str) -> tuple[str, ...]:
    return tuple(t for t in first.replace(".", ". ").split() if fold(t) not in _SUFFIXES)


def _parts(first: str, last: str) -> NameParts:
    return NameParts(surname=" ".join(last.split()), given=_given(first))


def _drop_parentheses(text: str) -> str:
    # Affiliation blocks nest: "A (1), B (2) ((1) MIT, (2) CMU)"; peel innermost first.
    while True:
        peeled = _AFFILIATION_RE.sub(" ", text)
        if peeled == text:
            return peeled.replace("(", " ").replace(")", " ")
        text = peeled


def split_authors(authors: str) -> list[str]:
    """Split an arXiv ``authors`` string ("A. One, B. Two and C. Three") into names, dropping
    parenthesised affiliations and numeric affiliation markers."""
    cleaned = _drop_parentheses(" ".join(authors.split()))
    names = [n.strip() for n in _SPLIT_RE.split(cleaned)]
    return [n for n in names if fold(n) and not fold(n).isdigit()]


def initials_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True when one sequence of initials is a prefix of the other ("A." fits "A. B.")."""
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]
