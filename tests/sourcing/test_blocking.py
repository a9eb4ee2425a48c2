"""The index inside a blocking group decides exactly as scanning the whole group does."""

from __future__ import annotations

import random

import pytest

from sourcing.people import blocking
from sourcing.people.disambiguation import Mention, Resolver
from sourcing.people.names import parse_name

SURNAMES = ["Wang", "Li", "Zhang"]
GIVEN = ["Wei", "W.", "Wen", "W. J.", "Wei J.", "Wenjie", "Jing", "J.", "Jun"]
GROUPS = ["cs", "stat", "physics"]
AFFILIATIONS = ["", "", "MIT", "Tsinghua University", "ETH Zurich"]


def _mentions(seed: int, count: int) -> list[Mention]:
    """Few surnames and given names, so groups hold hundreds of people and many ties."""
    rng = random.Random(seed)
    names = [f"{g} {s}" for g in GIVEN for s in SURNAMES]
    keys = sorted({parse_name(n).name_key for n in names})
    mentions = []
    for _ in range(count):
        name = rng.choice(names)
        coauthors = frozenset(rng.sample(keys, rng.randint(0, 3))) - {parse_name(name).name_key}
        mentions.append(
            Mention(
                raw=name,
                parts=parse_name(name),
                affiliation=rng.choice(AFFILIATIONS),
                group=rng.choice(GROUPS),
                year=rng.choice([None, *range(2000, 2025)]),
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


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_index_decides_as_the_whole_group_scanned(monkeypatch, seed):
    # given: mentions crowding a few blocking keys (thousands a key)
    mentions = _mentions(seed, 6000)
    monkeypatch.setattr(blocking, "INDEX_FROM", 10**9)
    scanned = _clusters(mentions)

    # when: the groups are indexed from their second person on
    monkeypatch.setattr(blocking, "INDEX_FROM", 2)
    indexed = _clusters(mentions)

    # then: every mention joins the same person with the same score
    assert indexed == scanned
    assert len({person for person, _ in scanned}) > 100  # big groups, not one person a key
