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
