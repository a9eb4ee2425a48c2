"""Which person is this author mention? Clustering of mentions into people.

A mention can join an existing person only when the names are compatible *and* there is
evidence beyond the name. Scores (documented in docs/sourcing-arxiv.md):

* full given name equal (and middle initials compatible): 0.5; initials only: 0.2
* a shared co-author: +0.3; the same affiliation: +0.2; the same category group: +0.15;
  years within ``NEARBY_YEARS`` of the person's active range: +0.05

A mention joins the best person scoring at least ``MERGE_THRESHOLD`` (0.65). So a full name
needs at least the same field; initials need a shared co-author plus more; initials alone never
merge. The score is kept as the authorship's ``match_confidence``; a person's ``confidence`` is
its weakest mention's."""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar, cast

import orjson

from sourcing.models import Person
from sourcing.people.blocking import Bucket
from sourcing.people.names import NameParts, fold

FULL_NAME = 0.5
INITIALS_ONLY = 0.2
SHARED_COAUTHOR = 0.3
SAME_AFFILIATION = 0.2
SAME_GROUP = 0.15
NEARBY = 0.05
NEARBY_YEARS = 3
MERGE_THRESHOLD = 0.65
# Evidence lists are summaries, capped so a prolific author's row stays small.
MAX_COAUTHORS = 50
MAX_AFFILIATIONS = 20
MAX_NAME_FORMS = 20


class Mention(NamedTuple):
    """A tuple, not a dataclass: an import builds one per author of every paper."""

    raw: str
    parts: NameParts
    affiliation: str
    group: str
    year: int | None
    coauthor_keys: frozenset[str]


class PersonState:
    """A person as disambiguation sees it: the stored columns of ``Person`` plus the evidence
    as distinct values, cheap to compare and extend. Plain attributes rather than a model
    instance: an import holds tens of thousands of people and builds thousands per batch, and
    a Django model costs ten times as much to create and to keep.

    Evidence is held in tuples (a set of 20 strings takes several times the memory of a
    tuple, and a run keeps many people: ``sourcing.people.cache``); co-authors grow unsorted
    during a batch until ``finalise`` sorts and caps them as the stored column is. (Measured:
    turning them into sets for the length of a batch costs more than the comparisons it
    speeds up.) ``dirty`` marks people to write."""

    __slots__ = (
        "affiliation_names",
        "affiliations",
        "coauthors",
        "confidence",
        "dirty",
        "display_name",
        "first_year",
        "forms",
        "full_key",
        "groups",
        "initials",
        "last_year",
        "name_forms_json",
        "name_key",
        "pk",
    )

    def __init__(
        self,
        *,
        display_name: str,
        name_key: str,
        full_key: str,
        pk: int | None = None,
        confidence: float = 1.0,
        first_year: int | None = None,
        last_year: int | None = None,
        name_forms: list[Any] | None = None,
        name_forms_json: str | None = None,
        affiliations: Sequence[str] | None = None,
        category_groups: list[str] | None = None,
        coauthor_keys: list[str] | None = None,
    ) -> None:
        # Everything a run keeps per person is shared where it can be (interned strings, one
        # object per distinct year, score and evidence tuple): a run keeps tens of thousands of
        # people, and the fewer bytes each takes, the fewer are read again after eviction.
        self.pk = pk
        self.display_name = display_name
        self.name_key = name_key
        self.full_key = full_key
        self.confidence = _shared(confidence)
        self.first_year = _shared(first_year)
        self.last_year = _shared(last_year)
        # The stored name forms, as JSON text: decoded only to add one (``add_form``), written
        # back as is.
        if name_forms_json is None:
            name_forms_json = orjson.dumps(name_forms or []).decode()
            forms = name_forms or []
        else:
            forms = orjson.loads(name_forms_json)
        self.name_forms_json = name_forms_json
        self.affiliation_names: tuple[str, ...] = tuple(affiliations) if affiliations else ()
        # Co-authors and groups are held once, as the stored (sorted) values while clean; the
        # lists written back are made from them (``coauthor_keys``, ``category_groups``).
        self.coauthors: tuple[str, ...] = _interned(coauthor_keys)
        self.groups: tuple[str, ...] = _shared(tuple(category_groups or ()))
        self.affiliations: tuple[str, ...] = (
            tuple({fold(a) for a in self.affiliation_names}) if self.affiliation_names else ()
        )
        if len(forms) == 1 and isinstance(forms[0], dict):  # the usual case, written out
            form = forms[0]
            name = form.get("name", "")
            self.initials: tuple[tuple[str, ...], ...] = _shared(
                (_shared(tuple(form.get("initials", ()))),)
            )
            self.forms: tuple[str, ...] = (display_name if name == display_name else name,)
        else:
            dicts = [f for f in forms if isinstance(f, dict)]
            self.initials = _shared(tuple({_shared(tuple(f.get("initials", ()))) for f in dicts}))
            self.forms = tuple({f.get("name", "") for f in dicts})
        self.dirty = False

    @classmethod
    def new(cls, *, display_name: str, name_key: str, full_key: str) -> PersonState:
        """A person seen for the first time: what ``__init__`` makes from no stored columns,
        without the decoding and sharing that has nothing to work on (an import creates tens of
        thousands a minute)."""
        state = cls.__new__(cls)
        state.pk = None
        state.display_name = display_name
        state.name_key = name_key
        state.full_key = full_key
        state.confidence = _ONE
        state.first_year = state.last_year = None
        state.name_forms_json = "[]"
        state.affiliation_names = state.affiliations = state.coauthors = state.groups = ()
        state.initials = ()
        state.forms = ()
        state.dirty = False
        return state

    @classmethod
    def of(cls, person: Person) -> PersonState:
        return cls(
            pk=person.pk,
            display_name=person.display_name,
            name_key=person.name_key,
            full_key=person.full_key,
            confidence=person.confidence,
            first_year=person.first_year,
            last_year=person.last_year,
            name_forms=list(person.name_forms),
            affiliations=list(person.affiliations),
            category_groups=list(person.category_groups),
            coauthor_keys=list(person.coauthor_keys),
        )

    def to_model(self) -> Person:
        """The ``Person`` row this state stands for (the ORM write path)."""
        return Person(
            pk=self.pk,
            display_name=self.display_name,
            name_key=self.name_key,
            full_key=self.full_key,
            confidence=self.confidence,
            first_year=self.first_year,
            last_year=self.last_year,
            name_forms=self.name_forms,
            affiliations=list(self.affiliation_names),
            category_groups=self.category_groups,
            coauthor_keys=self.coauthor_keys,
        )

    @property
    def name_forms(self) -> list[Any]:
        """The stored column (a new list each time)."""
        forms: list[Any] = orjson.loads(self.name_forms_json)
        return forms

    def add_form(self, display: str, initials: tuple[str, ...]) -> None:
        self.forms = (*self.forms, display)
        if initials not in self.initials:
            self.initials = _shared((*self.initials, initials))
        form = orjson.dumps({"name": display, "initials": initials}).decode()
        stored = self.name_forms_json
        if stored == "[]":  # a new person's first form: most calls
            self.name_forms_json = f"[{form}]"
        elif stored.startswith("[") and stored.endswith("]"):
            # Appended to the JSON text as is (not decoded and encoded again): the same
            # document, and stored as jsonb it is the same value.
            self.name_forms_json = f"{stored[:-1]},{form}]"
        else:  # not a list (a hand-edited row): the form replaces it
            self.name_forms_json = f"[{form}]"

    @property
    def coauthor_keys(self) -> list[str]:
        """The stored column (after ``finalise``: sorted, capped)."""
        return list(self.coauthors)

    @property
    def category_groups(self) -> list[str]:
        return list(self.groups)

    def finalise(self) -> None:
        """Write the sets back to the stored columns, and keep in memory exactly what is
        stored (a state kept across batches must decide as one read back from the database
        would)."""
        groups = self.groups
        self.groups = _shared(tuple(sorted(groups)) if len(groups) > 1 else groups)
        # Capped already as they were added; a row edited by hand may hold more.
        self.coauthors = tuple(sorted(self.coauthors)[:MAX_COAUTHORS])
        self.dirty = False


_SHARED: dict[Any, Any] = {}
_SHARED_MAX = 100_000
_T = TypeVar("_T")


def _shared(value: _T) -> _T:
    """One object per distinct small value (years, scores, evidence tuples), so people who
    have the same one don't each hold a copy. Bounded: forgotten (not lost) when full."""
    if len(_SHARED) >= _SHARED_MAX:
        _SHARED.clear()
    # Keyed by type too: 1, 1.0 and True are equal dictionary keys.
    return cast(_T, _SHARED.setdefault((value.__class__, value), value))


_ONE = _shared(1.0)


def _interned(keys: list[str] | None) -> tuple[str, ...]:
    if not keys:
        return ()
    try:
        return tuple(map(sys.intern, keys))
    except TypeError:  # not a string among them: a hand-edited row; keep the strings
        return tuple(sys.intern(k) for k in keys if isinstance(k, str))


def match_score(state: PersonState, mention: Mention) -> float:
    """0 when the names are incompatible, else name base plus evidence."""
    parts, affiliation = mention.parts, mention.affiliation
    return _match(
        state,
        parts.full_key,
        parts.initials,
        mention.coauthor_keys,
        fold(affiliation) if affiliation else None,
        mention.group,
        mention.year,
    )


def _match(  # noqa: PLR0917  # positional: called per candidate person of every mention
    state: PersonState,
    full_key: str,
    initials: tuple[str, ...],
    coauthor_keys: frozenset[str],
    folded_affiliation: str | None,
    group: str,
    year: int | None,
) -> float:
    """``match_score`` on the mention's fields, read once per mention by the caller
    (``folded_affiliation``: ``None`` when the mention has none). It runs for every mention
    against every person sharing its key, so it is written out rather than composed."""
    if state.full_key and full_key:
        if state.full_key != full_key:
            return 0.0
        base = FULL_NAME
    else:
        base = INITIALS_ONLY
    size = len(initials)
    for known in state.initials:
        # Compatible when one sequence of initials is a prefix of the other ("A." fits
        # "A. B."), so a middle initial written once and omitted once is no conflict.
        if len(known) >= size:
            if known[:size] != initials:
                return 0.0
        elif initials[: len(known)] != known:
            return 0.0
    evidence = 0
    if not coauthor_keys.isdisjoint(state.coauthors):
        evidence = 1
    if folded_affiliation is not None and folded_affiliation in state.affiliations:
        evidence |= 2
    if group in state.groups:
        evidence |= 4
    first, last = state.first_year, state.last_year
    if year and first and last and first - NEARBY_YEARS <= year <= last + NEARBY_YEARS:
        evidence |= 8
    return _SCORES[base][evidence]


def _score(base: float, evidence: int) -> float:
    """The score for a name base and a set of evidence flags (co-author 1, affiliation 2,
    group 4, years 8): points summed in that order, capped at 1, rounded to 3 places."""
    if not evidence:
        return 0.0
    points = 0.0
    for flag, weight in ((1, SHARED_COAUTHOR), (2, SAME_AFFILIATION), (4, SAME_GROUP), (8, NEARBY)):
        if evidence & flag:
            points += weight
    score = base + points
    return 1.0 if score >= 1.0 else round(score, 3)


# Every score there can be, computed once: ``round`` cost a fifth of ``match_score``, which runs
# for every mention against every person sharing its key.
_SCORES = {
    base: [_score(base, flags) for flags in range(16)] for base in (FULL_NAME, INITIALS_ONLY)
}


# The most a namesake (the same full name) scores without a shared co-author or the same
# affiliation: the name, the category group and the years (``blocking.Found``).
NAMESAKE_BOUND = _SCORES[FULL_NAME][4 | 8]


def _display_name(state: PersonState) -> str:
    return state.display_name


class Resolver:
    """Resolves the mentions of one batch against the people loaded for it (and those the batch
    itself creates). Callers load people by ``name_key`` under the people lock so two batches
    never decide concurrently."""

    def __init__(
        self,
        people: Iterable[Person] = (),
        *,
        buckets: Mapping[str, list[PersonState]] | None = None,
    ) -> None:
        """``people`` to wrap in fresh states, and/or ``buckets``: states already grouped by
        ``name_key`` (a run's cache: ``Bucket``, indexed, kept across batches; plain lists are
        wrapped); people this resolver creates are inserted in them."""
        self._by_key: dict[str, Bucket[PersonState]] = defaultdict(Bucket)
        self.created: list[PersonState] = []
        # People this resolver changed, in the order they were first changed (``_absorb``).
        self._changed: list[PersonState] = []
        self._created_order: dict[int, int] = {}
        for key, states in (buckets or {}).items():
            self._by_key[key] = states if isinstance(states, Bucket) else Bucket(states)
        for person in people:
            state = PersonState.of(person)
            self._by_key[state.name_key].append(state)

    def changes(self) -> tuple[list[PersonState], list[PersonState]]:
        """Once every mention is resolved: ``(created, changed)``, the people the batch creates
        and the known ones it changed, finalised (their stored columns as they will be
        written)."""
        changed = self._changed
        for state in changed:
            state.finalise()
        fresh = {id(s) for s in self.created}
        return self.created, [s for s in changed if id(s) not in fresh]

    def resolve(self, mention: Mention) -> tuple[PersonState, float]:
        raw, parts, affiliation, group, year, coauthor_keys = mention
        folded = fold(affiliation) if affiliation else None
        full_key, initials = parts.full_key, parts.initials
        best: PersonState | None = None
        best_score = 0.0
        bucket = self._by_key[parts.name_key]
        found = bucket.lookup(full_key, coauthor_keys, folded)
        if found is None:  # the whole group, in tie order: the first of the best wins
            for state in bucket:
                score = _match(state, full_key, initials, coauthor_keys, folded, group, year)
                if score >= MERGE_THRESHOLD and score > best_score:
                    best, best_score = state, score
        else:
            tie_order = self._tie_order
            # Those sharing a co-author or the affiliation come in any order: ties go to the
            # first in tie order, as when the whole group is scanned in it.
            for state in found.evidence:
                score = _match(state, full_key, initials, coauthor_keys, folded, group, year)
                if score >= MERGE_THRESHOLD and self._beats(state, score, best, best_score):
                    best, best_score = state, score
            # The other namesakes score at most NAMESAKE_BOUND: in tie order, only until the
            # best so far is at the bound and ahead of them.
            for state in found.namesakes:
                if (
                    best is not None
                    and best_score >= NAMESAKE_BOUND
                    and (
                        best_score > NAMESAKE_BOUND
                        or best is state
                        or tie_order(best) < tie_order(state)
                    )
                ):
                    break
                score = _match(state, full_key, initials, coauthor_keys, folded, group, year)
                if score >= MERGE_THRESHOLD and self._beats(state, score, best, best_score):
                    best, best_score = state, score
        if best is None:
            best = PersonState.new(
                display_name=parts.display or raw, name_key=parts.name_key, full_key=full_key
            )
            # In tie order, (display name, id): after everyone with its name, since its id,
            # given when the batch is written, will be the highest yet. Wherever the batch ends,
            # the next one then finds its people in the order this one left them.
            bucket.insert(bisect_right(bucket, best.display_name, key=_display_name), best)
            self._created_order[id(best)] = len(self.created)
            self.created.append(best)
            bucket.added(best, self._tie_order)
            best_score = 1.0
        self._absorb(best, mention, folded, best_score)
        return best, best_score

    def _beats(
        self, state: PersonState, score: float, best: PersonState | None, best_score: float
    ) -> bool:
        """Whether ``state`` at ``score`` takes the place of the best so far: higher, or as
        high and first in tie order."""
        return score > best_score or (
            score == best_score
            and best is not None
            and self._tie_order(state) < self._tie_order(best)
        )

    def _tie_order(self, state: PersonState) -> tuple[str, int, int]:
        """(display name, id), people created by this batch (no id yet) last, in the order
        they were created: the order their ids will have."""
        if state.pk is not None:
            return state.display_name, 0, state.pk
        return state.display_name, 1, self._created_order[id(state)]

    def _absorb(
        self, state: PersonState, mention: Mention, folded: str | None, score: float
    ) -> None:
        """Fold the mention's evidence into the person (``folded``: its affiliation folded, or
        ``None``). A person is marked ``dirty`` (and listed for ``changes``) only when that
        changed something, so a person a batch only confirms is not written again."""
        _raw, parts, affiliation, group, year, coauthor_keys = mention
        changed = False
        if parts.full_key and not state.full_key:
            # The first time a full given name appears, it becomes the display name; the
            # person's place in tie order moves with it.
            state.full_key = parts.full_key
            state.display_name = parts.display
            bucket = self._by_key[state.name_key]
            bucket.sort(key=self._tie_order)
            bucket.named(state, self._tie_order)
            changed = True
        display = parts.display
        if display not in state.forms and len(state.forms) < MAX_NAME_FORMS:
            state.add_form(display, parts.initials)
            changed = True
        if score < state.confidence:
            state.confidence = score
            changed = True
        if year:
            if not state.first_year or year < state.first_year:
                state.first_year = year
                changed = True
            if not state.last_year or year > state.last_year:
                state.last_year = year
                changed = True
        if group not in state.groups:
            state.groups = (*state.groups, group)
            changed = True
        if (
            folded is not None
            and len(state.affiliations) < MAX_AFFILIATIONS
            and folded not in state.affiliations
        ):
            state.affiliations = (*state.affiliations, folded)
            state.affiliation_names = (*state.affiliation_names, affiliation)
            self._by_key[state.name_key].affiliation_added(state, folded)
            changed = True
        coauthors = state.coauthors
        room = MAX_COAUTHORS - len(coauthors)
        if coauthor_keys and room > 0:
            new = coauthor_keys.difference(coauthors)
            if new:
                # Appended, not merged into a set: they are distinct already, and ``finalise``
                # sorts them once for the whole batch. Capped here, not at the batch's end, so
                # where batches end never changes which co-authors a person keeps.
                added = tuple(new) if len(new) <= room else tuple(sorted(new)[:room])
                state.coauthors = (*coauthors, *added)
                self._by_key[state.name_key].coauthors_added(state, added)
                changed = True
        if changed and not state.dirty:
            state.dirty = True
            self._changed.append(state)
