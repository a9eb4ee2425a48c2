"""A person's evidence by subject: the arXiv archive groups their papers fall in, compared when
deciding whether two author mentions are one person."""

from __future__ import annotations

_GROUPS = frozenset({"cs", "math", "stat", "eess", "q-bio", "q-fin", "econ"})


def category_group(category: str) -> str:
    """The archive group a category belongs to: physics archives (hep-th, astro-ph.GA,
    cond-mat...) are one group, like cs, math, stat, eess, q-bio, q-fin, econ."""
    archive = category.split(".", 1)[0]
    if archive in _GROUPS:
        return archive
    return "physics"
