"""Clustering mentions into people: full names need evidence, initials never merge alone."""

from __future__ import annotations

import pytest

from sourcing.people.disambiguation import MERGE_THRESHOLD, Mention, Resolver
from sourcing.people.names import parse_name


def mention(name, *, group="cs", year=2024, coauthors=(), affiliation=""):
    return Mention(
        raw=name,
        parts=parse_name(name),
        affiliation=affiliation,
        group=group,
        year=year,
        coauthor_keys=frozenset(parse_name(c).name_key for c in coauthors),
    )


def test_full_name_in_the_same_field_is_one_person():
    resolver = Resolver([])
    first, _ = resolver.resolve(mention("Ashish Vaswani"))
    second, score = resolver.resolve(mention("Vaswani, Ashish"))
    assert second is first
    assert score >= MERGE_THRESHOLD
    assert first.confidence == score < 1.0


def test_full_name_alone_in_another_field_is_another_person():
    resolver = Resolver([])
    cs, _ = resolver.resolve(mention("Wei Zhang", group="cs", year=2024))
    physics, _ = resolver.resolve(mention("Wei Zhang", group="physics", year=2005))
    assert cs is not physics
    assert len(resolver.created) == 2


def test_initials_alone_never_merge_even_in_the_same_field_and_year():
    resolver = Resolver([])
    full, _ = resolver.resolve(mention("Ashish Vaswani", affiliation="Google"))
    initials, _ = resolver.resolve(mention("A. Vaswani"))
    assert initials is not full


def test_initials_merge_with_a_shared_coauthor_and_more():
    resolver = Resolver([])
    full, _ = resolver.resolve(mention("Ashish Vaswani", coauthors=["Noam Shazeer"]))
    initials, score = resolver.resolve(mention("A. Vaswani", coauthors=["Noam Shazeer"]))
    assert initials is full
    assert score == pytest.approx(0.2 + 0.3 + 0.15 + 0.05)


def test_different_first_names_never_merge():
    resolver = Resolver([])
    a, _ = resolver.resolve(mention("Anna Smith", coauthors=["Bob Ray"], affiliation="MIT"))
    b, _ = resolver.resolve(mention("Alice Smith", coauthors=["Bob Ray"], affiliation="MIT"))
    assert a is not b


def test_conflicting_middle_initials_never_merge():
    resolver = Resolver([])
    a, _ = resolver.resolve(mention("John A. Smith", coauthors=["Bob Ray"]))
    b, _ = resolver.resolve(mention("John B. Smith", coauthors=["Bob Ray"]))
    assert a is not b


def test_a_full_name_upgrades_an_initials_person_display_name():
    resolver = Resolver([])
    person, _ = resolver.resolve(mention("A. Vaswani", coauthors=["Noam Shazeer"]))
    same, _ = resolver.resolve(mention("Ashish Vaswani", coauthors=["Noam Shazeer"]))
    assert same is person
    assert person.display_name == "Ashish Vaswani"
    assert {f["name"] for f in person.name_forms} == {"A. Vaswani", "Ashish Vaswani"}


def test_a_new_person_is_what_the_constructor_makes_from_no_columns():
    from sourcing.people.disambiguation import PersonState

    new = PersonState.new(display_name="Ashish Vaswani", name_key="vaswani|a", full_key="a v")
    built = PersonState(display_name="Ashish Vaswani", name_key="vaswani|a", full_key="a v")
    assert {s: getattr(new, s) for s in PersonState.__slots__} == {
        s: getattr(built, s) for s in PersonState.__slots__
    }


FULL, INITIALS, COAUTHOR = "Ashish Vaswani", "A. Vaswani", "N. Shazeer"


@pytest.mark.parametrize(
    ("known", "seen", "expected"),
    [
        # (name, co-author, affiliation, group, year) of the known person, of the mention; score
        ((FULL, "", "", "cs", 2017), (FULL, "", "", "cs", 2030), 0.65),
        ((FULL, "", "", "cs", 2017), (FULL, "", "", "cs", 2018), 0.7),
        ((FULL, "", "MIT", "cs", 2017), (FULL, "", "MIT", "cs", 2030), 0.85),
        ((FULL, COAUTHOR, "", "cs", 2017), (FULL, COAUTHOR, "", "stat", 2030), 0.8),
        ((FULL, COAUTHOR, "MIT", "cs", 2017), (FULL, COAUTHOR, "MIT", "cs", 2017), 1.0),
        ((FULL, "", "", "cs", 2017), (FULL, "", "", "physics", 2030), 0.0),
        ((INITIALS, COAUTHOR, "", "cs", 2017), (INITIALS, COAUTHOR, "", "cs", 2030), 0.65),
        ((INITIALS, COAUTHOR, "", "cs", 2017), (INITIALS, COAUTHOR, "", "stat", 2030), 0.5),
        ((INITIALS, "", "", "cs", 2017), (INITIALS, "", "", "stat", 2030), 0.0),
    ],
)
def test_match_score_adds_the_documented_points_capped_at_one(known, seen, expected):
    from sourcing.people.disambiguation import match_score

    def as_mention(name, coauthor, affiliation, group, year):
        return mention(name, group=group, year=year, affiliation=affiliation,
                       coauthors=[coauthor] if coauthor else [])  # fmt: skip

    resolver = Resolver([])
    person, _ = resolver.resolve(as_mention(*known))
    assert match_score(person, as_mention(*seen)) == expected


def test_changes_are_the_people_changed_each_once_finalised():
    from sourcing.people.disambiguation import PersonState

    def stored(name, pk):
        parts = parse_name(name)
        return PersonState(
            pk=pk, display_name=name, name_key=parts.name_key, full_key=parts.full_key,
            name_forms=[{"name": name, "initials": list(parts.initials)}],
            category_groups=["cs"], first_year=2020, last_year=2024,
        )  # fmt: skip

    smith, vaswani = stored("Anna Smith", 1), stored("Ashish Vaswani", 2)
    untouched = stored("Bob Ray", 3)
    resolver = Resolver(buckets={p.name_key: [p] for p in (smith, vaswani, untouched)})
    resolver.resolve(mention("Ashish Vaswani", coauthors=["Noam Shazeer"]))
    resolver.resolve(mention("Anna Smith", coauthors=["Bob Ray"]))
    resolver.resolve(mention("Ashish Vaswani", coauthors=["Lukasz Kaiser"]))
    newcomer, _ = resolver.resolve(mention("Noam Shazeer"))

    created, changed = resolver.changes()
    assert created == [newcomer]
    assert len(changed) == 2
    assert set(map(id, changed)) == {id(vaswani), id(smith)}
    assert vaswani.coauthor_keys == sorted(["shazeer|n", "kaiser|l"])
    assert not any(p.dirty for p in (smith, vaswani, untouched, newcomer))
