"""The index inside a blocking group decides exactly as scanning the whole group does."""

from __future__ import annotations

import random

import pytest

from sourcing.people import blocking, disambiguation
from sourcing.people.disambiguation import Mention, Resolver
from sourcing.people.names import parse_name

SURNAMES = ["Wang", "Li", "Zhang"]
GIVEN = ["Wei", "W.", "Wen", "W. J.", "Wei J.", "Wenjie", "Jing", "J.", "Jun"]
GROUPS = ["cs", "stat", "physics"]
AFFILIATIONS = ["", "", "MIT", "Tsinghua University", "ETH Zurich"]


def _mentions(seed: int, count: int, *, crowded: bool = False) -> list[Mention]:
    """Few surnames and given names, so groups hold hundreds of people and many ties.
    ``crowded``: as in a large ML import, nearly every mention in one category group, within a
    few years, rarely an affiliation: most namesakes reach the threshold on the name, the group
    and the years alone (``NAMESAKE_BOUND``), and ties decide."""
    rng = random.Random(seed)
    names = [f"{g} {s}" for g in GIVEN for s in SURNAMES]
    keys = sorted({parse_name(n).name_key for n in names})
    groups = ["cs"] * 18 + ["stat", "eess"] if crowded else GROUPS
    years = [*range(2016, 2024)] if crowded else [None, *range(2000, 2025)]
    affiliations = [""] * 30 + AFFILIATIONS[2:] if crowded else AFFILIATIONS
    mentions = []
    for _ in range(count):
        name = rng.choice(names)
        coauthors = frozenset(rng.sample(keys, rng.randint(0, 3))) - {parse_name(name).name_key}
        mentions.append(
            Mention(
                raw=name,
                parts=parse_name(name),
                affiliation=rng.choice(affiliations),
                group=rng.choice(groups),
                year=rng.choice(years),
                coauthor_keys=coauthors,
            )
        )
    return mentions


def _clusters(mentions: list[Mention]) -> list[tuple[int, float]]:
    """Which person (numbered by first appearance) each mention joined, with its score."""
    resolver = Resolver([])
    numbers: dict[int, int] = {}
    found = []
    for mention in mentions:
        state, score = resolver.resolve(mention)
        found.append((numbers.setdefault(id(state), len(numbers)), score))
    return found


@pytest.mark.parametrize(
    ("seed", "crowded"), [(1, False), (2, False), (3, False), (4, True), (5, True)]
)
def test_the_index_decides_as_the_whole_group_scanned(monkeypatch, seed, crowded):
    # given: mentions crowding a few blocking keys (thousands a key)
    mentions = _mentions(seed, 6000, crowded=crowded)
    monkeypatch.setattr(blocking, "INDEX_FROM", 10**9)
    scanned = _clusters(mentions)

    # when: the groups are indexed from their second person on
    monkeypatch.setattr(blocking, "INDEX_FROM", 2)
    indexed = _clusters(mentions)

    # then: every mention joins the same person with the same score
    assert indexed == scanned
    assert len({person for person, _ in scanned}) > 100  # big groups, not one person a key


def _compared(monkeypatch, mentions: list[Mention]) -> tuple[list[tuple[int, float]], int]:  # type: ignore[no-untyped-def]
    """The clusters, and how many times a mention was compared with a person."""
    compared = 0
    match = disambiguation._match

    def counted(*args):  # type: ignore[no-untyped-def]
        nonlocal compared
        compared += 1
        return match(*args)

    monkeypatch.setattr(disambiguation, "_match", counted)
    clusters = _clusters(mentions)
    monkeypatch.setattr(disambiguation, "_match", match)
    return clusters, compared


def test_namesakes_are_scanned_only_while_one_could_still_win(monkeypatch):
    # given: a crowded import's mentions, their groups indexed
    mentions = _mentions(6, 6000, crowded=True)
    monkeypatch.setattr(blocking, "INDEX_FROM", 2)

    # when: namesakes are scanned until none could win, and then all of them
    bounded, compared = _compared(monkeypatch, mentions)
    monkeypatch.setattr(disambiguation, "NAMESAKE_BOUND", 2.0)
    every, compared_all = _compared(monkeypatch, mentions)

    # then: the same decisions, from fewer comparisons
    assert bounded == every
    assert compared < 0.9 * compared_all
