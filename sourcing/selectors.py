"""Reads of sourcing: what a requester may see, with the joins decided here so lists and admin
pages run a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from core.requester import User
from hiring.models import Candidate, RoleProfile
from sourcing.models import Authorship, Person, Prospect, SourcingRun


def can_see_sourcing(user: User) -> bool:
    return bool(user.is_authenticated and user.has_perm("sourcing.view_sourcingrun"))


def runs_visible_to(*, user: User) -> QuerySet[SourcingRun]:
    runs = SourcingRun.objects.select_related("role_profile", "opening", "requested_by")
    return runs if can_see_sourcing(user) else runs.none()


def prospects_visible_to(*, user: User) -> QuerySet[Prospect]:
    prospects = Prospect.objects.select_related("role_profile", "person", "person__candidate")
    if not can_see_sourcing(user):
        return prospects.none()
    return prospects.filter(person__merged_into__isnull=True).order_by("-score", "id")


def prospects_of_run(*, user: User, run: SourcingRun) -> QuerySet[Prospect]:
    return prospects_visible_to(user=user).filter(last_run=run)


def prospects_of_role(*, user: User, role_profile: RoleProfile) -> QuerySet[Prospect]:
    return prospects_visible_to(user=user).filter(role_profile=role_profile)


def person_evidence(*, person: Person) -> QuerySet[Authorship]:
    """The person's authorships with their papers, newest first: the evidence behind them."""
    return person.authorships.select_related("paper").order_by("-paper__published", "position")


def people_of_candidates(*, candidates: Iterable[Candidate]) -> QuerySet[Person]:
    """The author identities behind ``candidates``: those linked to them and every identity a
    recruiter merged into those (at any depth), for the person's privacy requests."""
    ids = set(Person.objects.filter(candidate__in=list(candidates)).values_list("pk", flat=True))
    frontier = set(ids)
    while frontier:
        merged = set(Person.objects.filter(merged_into__in=frontier).values_list("pk", flat=True))
        frontier = merged - ids
        ids |= frontier
    return Person.objects.filter(pk__in=ids).order_by("pk")


# A two-pass snapshot import's passes (``sourcing.arxiv.snapshot``), each with its own progress.
_PASSES = {
    "papers": "pass 1 of 3: papers and author mentions",
    "people": "pass 2 of 3: people, one name key at a time",
    "prospects": "pass 3 of 3: ranking prospects",
}


_PASS_UNITS = {"papers": "bytes", "people": "mentions", "prospects": "papers"}


def run_progress_terms(run: SourcingRun) -> tuple[str, str]:
    """``(unit, stage)`` the figures of ``run.pass_progress`` are read with and, for a two-pass
    import, which pass it is in. A run started before passes had their own spans counts mixed
    steps past pass 1: no unit then."""
    if run.kind != SourcingRun.Kind.SNAPSHOT:
        return "", ""
    checkpoint = run.checkpoint or {}
    if not checkpoint.get("keyed"):
        return "bytes", ""
    phase = checkpoint.get("phase", "papers")
    own = phase == "papers" or phase in (checkpoint.get("passes") or {})
    return (_PASS_UNITS.get(phase, "") if own else ""), _PASSES.get(phase, "")
