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
* Among people with the mention's full name (the namesakes: hundreds of "Wei Wang" in a large
  import), one with neither a shared co-author nor the same affiliation scores at most
  ``NAMESAKE_BOUND`` (the name, the category group and the years: 0.7). So the namesakes who
  share a co-author or the affiliation are looked up by them (``Found.evidence``), and the
  others (``Found.namesakes``, kept in tie order) are scanned only while one of them could
  still win: once the best so far scores the bound and comes first in tie order, no later
  namesake can beat it or tie it ahead of it (``disambiguation.Resolver``). Without this,
  every mention of a common name was compared with all its namesakes, and their number grows
  with the corpus.

The index may hold more than it should (a co-author a hand-edited row lost), never less: every
candidate is scored in full, so an extra one costs a comparison, not a decision. Which of equally
good people wins is decided by tie order (display name, id) by the caller, not by the order
candidates come in."""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, NamedTuple, Protocol, TypeVar


class Indexed(Protocol):
    """What the index reads of a person (``disambiguation.PersonState``)."""

    @property
    def full_key(self) -> str: ...

    @property
    def coauthors(self) -> tuple[str, ...]: ...

    @property
    def affiliations(self) -> tuple[str, ...]: ...


State = TypeVar("State", bound=Indexed)

# Below this many people a group is scanned whole (in tie order): an index costs more to build
# than it saves. And a group is indexed only once it has been scanned a few times: a batch-by-
# batch import reads many groups back for a mention or two before evicting them again.
INDEX_FROM = 32
SCANS_BEFORE_INDEX = 8


class Found(NamedTuple, Generic[State]):
    """Who a mention could join in an indexed group: ``evidence``, everyone sharing one of its
    co-authors or its affiliation (in any order, possibly some twice); ``namesakes``, everyone
    with its full name, in tie order (some of them among ``evidence`` too), of whom those not
    in ``evidence`` score at most ``NAMESAKE_BOUND``."""

    evidence: list[State]
    namesakes: Sequence[State]


class Bucket(list[State], Generic[State]):
    """The people of one blocking key, in tie order (the caller keeps the order), and, once
    there are ``INDEX_FROM`` of them, indexed by full name (in tie order), and by co-author and
    affiliation (with the full name).

    Whoever changes a person in the group tells it: ``added`` (a new person), ``named`` (a
    person known by initials got a full given name), ``coauthors_added``,
    ``affiliation_added``."""

    __slots__ = (
        "_by_affiliation",
        "_by_coauthor",
        "_by_full",
        "_by_full_coauthor",
        "_initials_by_coauthor",
        "_scans",
    )

    def __init__(self, states: Iterable[State] = ()) -> None:
        super().__init__(states)
        self._by_full: dict[str, list[State]] | None = None
        self._by_coauthor: dict[str, list[State]] = {}
        self._initials_by_coauthor: dict[str, list[State]] = {}
        self._by_full_coauthor: dict[tuple[str, str], list[State]] = {}
        self._by_affiliation: dict[tuple[str, str], list[State]] = {}
        self._scans = 0

    @property
    def indexed(self) -> bool:
        return self._by_full is not None

    def lookup(
        self, full_key: str, coauthor_keys: Iterable[str], affiliation: str | None
    ) -> Found[State] | None:
        """Who the mention could join (``Found``), or ``None``: scan the whole group (this list,
        in tie order). ``affiliation``: the mention's, folded, or ``None``."""
        if self._by_full is None:
            if len(self) < INDEX_FROM or self._scans < SCANS_BEFORE_INDEX:
                self._scans += 1
                return None
            self._build()
            assert self._by_full is not None
        evidence: list[State] = []
        if full_key:
            by_full_coauthor = self._by_full_coauthor
            initials = self._initials_by_coauthor
            for key in coauthor_keys:
                people = by_full_coauthor.get((full_key, key))
                if people:
                    evidence.extend(people)
                people = initials.get(key)
                if people:
                    evidence.extend(people)
            if affiliation is not None:
                evidence.extend(self._by_affiliation.get((full_key, affiliation), ()))
            return Found(evidence, self._by_full.get(full_key, ()))
        by_coauthor = self._by_coauthor
        for key in coauthor_keys:
            people = by_coauthor.get(key)
            if people:
                evidence.extend(people)
        return Found(evidence, ())

    def _build(self) -> None:
        self._by_full = {}
        for state in self:  # in tie order, so each list of namesakes is too
            self._by_full.setdefault(state.full_key, []).append(state)
            self._index_evidence(state, state.coauthors, state.affiliations)

    def _index_evidence(
        self, state: State, coauthors: Iterable[str], affiliations: Iterable[str]
    ) -> None:
        by_coauthor, initials = self._by_coauthor, self._initials_by_coauthor
        full_key = state.full_key
        by_full_coauthor = self._by_full_coauthor
        for key in coauthors:
            people = by_coauthor.get(key)
            if people is None:
                by_coauthor[key] = [state]
            else:
                people.append(state)
            if full_key:
                by_full_coauthor.setdefault((full_key, key), []).append(state)
            else:
                initials.setdefault(key, []).append(state)
        if full_key:
            for affiliation in affiliations:
                self._by_affiliation.setdefault((full_key, affiliation), []).append(state)

    def added(self, state: State, tie_order: Callable[[State], Any]) -> None:
        """``state`` was just inserted in the list (``tie_order``: the caller's order)."""
        if self._by_full is not None:
            insort(self._by_full.setdefault(state.full_key, []), state, key=tie_order)
            self._index_evidence(state, state.coauthors, state.affiliations)

    def named(self, state: State, tie_order: Callable[[State], Any]) -> None:
        """``state``, known by initials until now, has a full given name (``state.full_key``)
        and its place in tie order with it."""
        if self._by_full is None:
            return
        initials = self._by_full.get("")
        if initials is not None and state in initials:
            initials.remove(state)
        insort(self._by_full.setdefault(state.full_key, []), state, key=tie_order)
        # Its co-authors and affiliations, now under its full name too (left in the
        # initials-only co-author lists: an extra candidate, scored in full).
        full_key = state.full_key
        for key in state.coauthors:
            self._by_full_coauthor.setdefault((full_key, key), []).append(state)
        for affiliation in state.affiliations:
            self._by_affiliation.setdefault((full_key, affiliation), []).append(state)

    def coauthors_added(self, state: State, keys: Iterable[str]) -> None:
        if self._by_full is not None:
            self._index_evidence(state, keys, ())

    def affiliation_added(self, state: State, affiliation: str) -> None:
        if self._by_full is not None:
            self._index_evidence(state, (), (affiliation,))
