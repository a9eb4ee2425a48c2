"""How far two imports' people differ: each database's authorships grouped into clusters (the
(arXiv id, position) pairs each person holds), compared. Database ids play no part.

``python -m bench.people_diff postgres://.../old postgres://.../new``

Prints the people in each, how many clusters are identical, and the share of authorships whose
cluster differs (an authorship counts as differing when the set of mentions its person holds is
not the same in both)."""

from __future__ import annotations

import sys
from collections import defaultdict

import psycopg

Cluster = frozenset[tuple[str, int]]


def clusters(url: str) -> dict[tuple[str, int], Cluster]:
    """Each authorship's cluster, keyed by (arXiv id, position)."""
    members: dict[int, list[tuple[str, int]]] = defaultdict(list)
    with psycopg.connect(url) as conn, conn.cursor(name="authorships") as cursor:
        cursor.itersize = 100_000
        cursor.execute(
            "SELECT a.person_id, p.arxiv_id, a.position FROM sourcing_authorship a "
            "JOIN sourcing_paper p ON p.id = a.paper_id"
        )
        for person, arxiv_id, position in cursor:
            members[person].append((arxiv_id, position))
    found: dict[tuple[str, int], Cluster] = {}
    for mentions in members.values():
        cluster = frozenset(mentions)
        for mention in mentions:
            found[mention] = cluster
    return found


def main(old_url: str, new_url: str) -> None:
    old, new = clusters(old_url), clusters(new_url)
    old_people, new_people = set(old.values()), set(new.values())
    differing = sum(1 for mention, cluster in old.items() if new.get(mention) != cluster)
    missing = len(old.keys() ^ new.keys())
    print(f"authorships: {len(old):,} / {len(new):,} (in one only: {missing:,})")
    print(f"people: {len(old_people):,} / {len(new_people):,}")
    print(f"identical people: {len(old_people & new_people):,}")
    print(
        f"authorships whose person differs: {differing:,} "
        f"({100 * differing / max(1, len(old)):.3f} %)"
    )
    print(
        f"people not found identical: {len(old_people - new_people):,} "
        f"({100 * len(old_people - new_people) / max(1, len(old_people)):.3f} %)"
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
