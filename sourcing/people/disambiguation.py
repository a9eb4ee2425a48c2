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
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sourcing.models import Person
from sourcing.people.names import NameParts, fold, initials_compatible

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


@dataclass(frozen=True)
class Mention:
    raw: str
    parts: NameParts
    affiliation: str
    group: str
    year: int | None
    coauthor_keys: frozenset[str]


@dataclass
class PersonState:
    """A person plus evidence as distinct values, cheap to compare and extend; ``finalise``
    writes them back to the model's JSON fields once per batch. ``dirty`` marks rows to write
    back. The evidence is held in tuples while it is only read (a set of 20 strings takes ten
    times the memory of a tuple, and a run keeps many people: ``sourcing.people.cache``) and
    in sets from the first change of a batch (``evidence_sets``) until ``finalise``."""

    person: Person
    coauthors: set[str] | tuple[str, ...] = field(default_factory=set)
    affiliations: set[str] | tuple[str, ...] = field(default_factory=set)
    groups: set[str] | tuple[str, ...] = field(default_factory=set)
    initials: set[tuple[str, ...]] | tuple[tuple[str, ...], ...] = field(default_factory=set)
    forms: set[str] | tuple[str, ...] = field(default_factory=set)
    dirty: bool = False

    @classmethod
    def of(cls, person: Person) -> PersonState:
        forms = [f for f in person.name_forms if isinstance(f, dict)]
        # Interned: the same keys recur in many people's evidence, and a run keeps many people
        # in memory (sourcing.people.cache).
        person.coauthor_keys = [
            sys.intern(k) if isinstance(k, str) else k for k in person.coauthor_keys
        ]
        return cls(
            person=person,
            coauthors=tuple(set(person.coauthor_keys)),
            affiliations=tuple({fold(a) for a in person.affiliations}),
            groups=tuple(set(person.category_groups)),
            initials=tuple({tuple(f.get("initials", ())) for f in forms}),
            forms=tuple({f.get("name", "") for f in forms}),
        )

    def evidence_sets(
        self,
    ) -> tuple[set[str], set[str], set[str], set[tuple[str, ...]], set[str]]:
        """Coauthors, affiliations, groups, initials and forms as sets, to add to."""
        coauthors = self.coauthors if isinstance(self.coauthors, set) else set(self.coauthors)
        affiliations = (
            self.affiliations if isinstance(self.affiliations, set) else set(self.affiliations)
        )
        groups = self.groups if isinstance(self.groups, set) else set(self.groups)
        initials = self.initials if isinstance(self.initials, set) else set(self.initials)
        forms = self.forms if isinstance(self.forms, set) else set(self.forms)
        self.coauthors, self.affiliations, self.groups = coauthors, affiliations, groups
        self.initials, self.forms = initials, forms
        return coauthors, affiliations, groups, initials, forms

    def finalise(self) -> None:
        """Write the sets back to the model, and keep in memory exactly what is stored (a
        state kept across batches must decide as one read back from the database would)."""
        self.person.category_groups = sorted(self.groups)
        self.person.coauthor_keys = sorted(self.coauthors)[:MAX_COAUTHORS]
        self.coauthors = tuple(self.person.coauthor_keys)
        self.groups = tuple(self.person.category_groups)
        self.affiliations = tuple(self.affiliations)
        self.initials = tuple(self.initials)
        self.forms = tuple(self.forms)
        self.dirty = False


def match_score(state: PersonState, mention: Mention) -> float:
    """0 when the names are incompatible, else name base plus evidence."""
    person = state.person
    parts = mention.parts
    if person.full_key and parts.full_key:
        if person.full_key != parts.full_key:
            return 0.0
        base = FULL_NAME
    else:
        base = INITIALS_ONLY
    initials = parts.initials
    if not all(initials_compatible(known, initials) for known in state.initials if known):
        return 0.0
    evidence = 0.0
    if not mention.coauthor_keys.isdisjoint(state.coauthors):
        evidence += SHARED_COAUTHOR
    if mention.affiliation and fold(mention.affiliation) in state.affiliations:
        evidence += SAME_AFFILIATION
    if mention.group in state.groups:
        evidence += SAME_GROUP
    first, last = person.first_year, person.last_year
    if (
        mention.year
        and first
        and last
        and first - NEARBY_YEARS <= mention.year <= last + NEARBY_YEARS
    ):
        evidence += NEARBY
    if evidence == 0.0:
        return 0.0
    return round(min(1.0, base + evidence), 3)


class Resolver:
    """Resolves the mentions of one batch against the people loaded for it (and those the batch
    itself creates). Callers load people by ``name_key`` under the people lock so two batches
    never decide concurrently."""

    def __init__(
        self,
        people: Iterable[Person] = (),
        *,
        buckets: dict[str, list[PersonState]] | None = None,
    ) -> None:
        """``people`` to wrap in fresh states, and/or ``buckets``: states already grouped by
        ``name_key`` (a run's cache); people this resolver creates are appended to them."""
        self._by_key: dict[str, list[PersonState]] = defaultdict(list)
        self._by_id: dict[int, PersonState] = {}
        self.created: list[PersonState] = []
        for key, states in (buckets or {}).items():
            self._by_key[key] = states
            for state in states:
                self._by_id[state.person.pk] = state
        for person in people:
            self._add(PersonState.of(person))

    def _add(self, state: PersonState) -> None:
        self._by_key[state.person.name_key].append(state)
        if state.person.pk:
            self._by_id[state.person.pk] = state

    def all_states(self) -> list[PersonState]:
        return [s for states in self._by_key.values() for s in states]

    def state_for(self, person: Person) -> PersonState:
        if person.pk in self._by_id:
            return self._by_id[person.pk]
        state = PersonState.of(person)
        self._add(state)
        return state

    def resolve(self, mention: Mention) -> tuple[PersonState, float]:
        best: PersonState | None = None
        best_score = 0.0
        for state in self._by_key.get(mention.parts.name_key, ()):
            score = match_score(state, mention)
            if score >= MERGE_THRESHOLD and score > best_score:
                best, best_score = state, score
        if best is None:
            best = PersonState(
                person=Person(
                    display_name=mention.parts.display or mention.raw,
                    name_key=mention.parts.name_key,
                    full_key=mention.parts.full_key,
                    confidence=1.0,
                )
            )
            self._add(best)
            self.created.append(best)
            best_score = 1.0
        self.absorb(best, mention, best_score)
        return best, best_score

    def absorb(self, state: PersonState, mention: Mention, score: float) -> None:
        """Fold the mention's evidence into the person (sets now, JSON in ``finalise``)."""
        person = state.person
        parts = mention.parts
        coauthors, affiliations, groups, initials, forms = state.evidence_sets()
        if parts.full_key and not person.full_key:
            # The first time a full given name appears, it becomes the display name.
            person.full_key = parts.full_key
            person.display_name = parts.display
        display = parts.display
        if display not in forms and len(forms) < MAX_NAME_FORMS:
            forms.add(display)
            initials.add(parts.initials)
            person.name_forms = [
                *person.name_forms,
                {"name": display, "initials": list(parts.initials)},
            ]
        if score < person.confidence:
            person.confidence = score
        if mention.year:
            person.first_year = min(person.first_year or mention.year, mention.year)
            person.last_year = max(person.last_year or mention.year, mention.year)
        groups.add(mention.group)
        if mention.affiliation and len(affiliations) < MAX_AFFILIATIONS:
            folded = fold(mention.affiliation)
            if folded not in affiliations:
                affiliations.add(folded)
                person.affiliations = [*person.affiliations, mention.affiliation]
        if len(coauthors) < MAX_COAUTHORS:
            coauthors.update(mention.coauthor_keys)
        state.dirty = True
