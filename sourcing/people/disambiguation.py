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
    """A person plus evidence as sets, cheap to compare and extend; ``finalise`` writes the sets
    back to the model's JSON fields once per batch. ``dirty`` marks rows to write back."""

    person: Person
    coauthors: set[str] = field(default_factory=set)
    affiliations: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    initials: set[tuple[str, ...]] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    dirty: bool = False

    @classmethod
    def of(cls, person: Person) -> PersonState:
        forms = [f for f in person.name_forms if isinstance(f, dict)]
        return cls(
            person=person,
            coauthors=set(person.coauthor_keys),
            affiliations={fold(a) for a in person.affiliations},
            groups=set(person.category_groups),
            initials={tuple(f.get("initials", ())) for f in forms},
            forms={f.get("name", "") for f in forms},
        )

    def finalise(self) -> None:
        self.person.category_groups = sorted(self.groups)
        self.person.coauthor_keys = sorted(self.coauthors)[:MAX_COAUTHORS]


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
    if not state.coauthors.isdisjoint(mention.coauthor_keys):
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

    def __init__(self, people: Iterable[Person]) -> None:
        self._by_key: dict[str, list[PersonState]] = defaultdict(list)
        self._by_id: dict[int, PersonState] = {}
        self.created: list[PersonState] = []
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
        if parts.full_key and not person.full_key:
            # The first time a full given name appears, it becomes the display name.
            person.full_key = parts.full_key
            person.display_name = parts.display
        display = parts.display
        if display not in state.forms and len(state.forms) < MAX_NAME_FORMS:
            state.forms.add(display)
            state.initials.add(parts.initials)
            person.name_forms = [
                *person.name_forms,
                {"name": display, "initials": list(parts.initials)},
            ]
        if score < person.confidence:
            person.confidence = score
        if mention.year:
            person.first_year = min(person.first_year or mention.year, mention.year)
            person.last_year = max(person.last_year or mention.year, mention.year)
        state.groups.add(mention.group)
        if mention.affiliation and len(state.affiliations) < MAX_AFFILIATIONS:
            folded = fold(mention.affiliation)
            if folded not in state.affiliations:
                state.affiliations.add(folded)
                person.affiliations = [*person.affiliations, mention.affiliation]
        if len(state.coauthors) < MAX_COAUTHORS:
            state.coauthors.update(mention.coauthor_keys)
        state.dirty = True
