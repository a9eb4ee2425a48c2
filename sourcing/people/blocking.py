"""A blocking group (every live person sharing one ``name_key``) with an index of who a mention
could be, so a mention is compared with the few people it could join rather than the whole
group. Groups grow with the corpus (``wang|w`` holds thousands of people in a full arXiv
import), and comparing every mention with its whole group made an import's cost per record grow
with its size.

The index is exact, not a heuristic: it is derived from the scores (``disambiguation``).

* Names that are both written out in full must be equal (else the score is 0). So a mention
  with a full given name can join people with that full name, or people known only by initials.
* A name known only by initials on either side scores ``INITIALS_ONLY`` (0.2) and reaches the
  threshold (0.65) only with a shared co-author: without one, everything else adds up to 0.6.
  So such a pair is looked up by the mention's co-author keys.

The index may hold more than it should (a co-author a hand-edited row lost), never less: every
candidate is scored in full, so an extra one costs a comparison, not a decision. Which of equally
good people wins is decided by tie order (display name, id) by the caller, not by the order
candidates come in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Generic, Protocol, TypeVar


class Indexed(Protocol):
    """What the index reads of a person (``disambiguation.PersonState``)."""

    @property
    def full_key(self) -> str: ...

    @property
    def coauthors(self) -> tuple[str, ...]: ...


State = TypeVar("State", bound=Indexed)

# Below this many people a group is scanned whole (in tie order): an index costs more to build
# than it saves. And a group is indexed only once it has been scanned a few times: a batch-by-
# batch import reads many groups back for a mention or two before evicting them again.
INDEX_FROM = 32
SCANS_BEFORE_INDEX = 8


class Bucket(list[State], Generic[State]):
    """The people of one blocking key, in tie order (the caller keeps the order), and, once
    there are ``INDEX_FROM`` of them, indexed by full name and by co-author.

    Whoever changes a person in the group tells it: ``added`` (a new person), ``named`` (a
    person known by initials got a full given name), ``coauthors_added``."""

    __slots__ = ("_by_coauthor", "_by_full", "_initials_by_coauthor", "_scans")

    def __init__(self, states: Iterable[State] = ()) -> None:
        super().__init__(states)
        self._by_full: dict[str, list[State]] | None = None
        self._by_coauthor: dict[str, list[State]] = {}
        self._initials_by_coauthor: dict[str, list[State]] = {}
        self._scans = 0

    @property
    def indexed(self) -> bool:
        return self._by_full is not None

    def candidates(
        self, full_key: str, coauthor_keys: Iterable[str]
    ) -> tuple[Sequence[State], bool]:
        """``(people, in_tie_order)``: everyone the mention could join (possibly some twice),
        and whether they come in tie order (the whole group, scanned)."""
        if self._by_full is None:
            if len(self) < INDEX_FROM or self._scans < SCANS_BEFORE_INDEX:
                self._scans += 1
                return self, True
            self._build()
            assert self._by_full is not None
        found: list[State] = []
        if full_key:
            found.extend(self._by_full.get(full_key, ()))
            by_coauthor = self._initials_by_coauthor
        else:
            by_coauthor = self._by_coauthor
        for key in coauthor_keys:
            people = by_coauthor.get(key)
            if people:
                found.extend(people)
        return found, False

    def _build(self) -> None:
        self._by_full = {}
        for state in self:
            self._index(state, state.coauthors)

    def _index(self, state: State, coauthors: Iterable[str]) -> None:
        assert self._by_full is not None
        self._by_full.setdefault(state.full_key, []).append(state)
        self._index_coauthors(state, coauthors)

    def _index_coauthors(self, state: State, coauthors: Iterable[str]) -> None:
        by_coauthor, initials = self._by_coauthor, self._initials_by_coauthor
        known_by_initials = not state.full_key
        for key in coauthors:
            people = by_coauthor.get(key)
            if people is None:
                by_coauthor[key] = [state]
            else:
                people.append(state)
            if known_by_initials:
                initials.setdefault(key, []).append(state)

    def added(self, state: State) -> None:
        """``state`` was just inserted in the list."""
        if self._by_full is not None:
            self._index(state, state.coauthors)

    def named(self, state: State) -> None:
        """``state``, known by initials until now, has a full given name (``state.full_key``)."""
        if self._by_full is None:
            return
        initials = self._by_full.get("")
        if initials is not None and state in initials:
            initials.remove(state)
        self._by_full.setdefault(state.full_key, []).append(state)
        # Left in the initials-only co-author lists: an extra candidate, scored in full.

    def coauthors_added(self, state: State, keys: Iterable[str]) -> None:
        if self._by_full is not None:
            self._index_coauthors(state, keys)
