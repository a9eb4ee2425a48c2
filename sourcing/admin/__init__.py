"""Recruiter admin for sourcing: runs with live progress, papers, author identities (merge,
split, undo), ranked prospects with their breakdown, the arXiv evidence inline on candidates,
and "source from arXiv" actions on openings and role profiles. Writes go through services.
Registration happens when the modules below are imported."""

from sourcing.admin import hiring_pages, papers, people, prospects, runs

__all__ = ["hiring_pages", "papers", "people", "prospects", "runs"]
