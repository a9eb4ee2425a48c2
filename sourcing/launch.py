"""Starting, cancelling and resuming sourcing runs: the one launch service the API, the admin, the
commands and beat all call. Parameters are validated here, once (``sourcing.runs.parameters``);
the run is delivered to a worker when the surrounding transaction commits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from core.requester import Actor, actor
from core.runs.lifecycle import run_cancel, run_enqueue, run_resume
from hiring.models import Opening, RoleProfile
from sourcing.models import SourcingRun
from sourcing.runs.parameters import parameters_parse
from sourcing.tasks import run_sourcing


def _validated(
    *,
    kind: str,
    parameters: Mapping[str, Any] | None,
    role_profile: RoleProfile | None,
    opening: Opening | None,
) -> tuple[dict[str, Any], RoleProfile | None]:
    """The run's stored parameters and role. An opening implies its role profile; a query API
    run needs a role with categories or keywords, or a query."""
    typed = parameters_parse(kind=kind, raw=parameters or {})
    if opening is not None and role_profile is None:
        role_profile = opening.role_profile
    if kind == SourcingRun.Kind.API and not getattr(typed, "query", None):
        if role_profile is None:
            raise ValidationError({"non_field_errors": ["Give a role (or opening) or a query."]})
        if not (role_profile.sourcing_categories or role_profile.sourcing_keywords):
            raise ValidationError(
                {"role_profile": ["This role has no sourcing categories or keywords."]}
            )
    return typed.as_json(), role_profile


def sourcing_run_create(
    *,
    kind: str,
    parameters: Mapping[str, Any] | None = None,
    role_profile: RoleProfile | None = None,
    opening: Opening | None = None,
    by: Actor = None,
) -> SourcingRun:
    """A queued run, not delivered: ``sourcing_run_launch`` delivers, a command executes it in
    its own process. Raises ``ValidationError`` with field errors."""
    stored, role_profile = _validated(
        kind=kind, parameters=parameters, role_profile=role_profile, opening=opening
    )
    return SourcingRun.objects.create(
        kind=kind,
        parameters=stored,
        role_profile=role_profile,
        opening=opening,
        requested_by=actor(by),
    )


def sourcing_run_launch(
    *,
    kind: str,
    parameters: Mapping[str, Any] | None = None,
    role_profile: RoleProfile | None = None,
    opening: Opening | None = None,
    by: Actor = None,
) -> tuple[SourcingRun, bool]:
    """Start a run and deliver it on commit; returns ``(run, created)``. While a run of the same
    kind, role, opening and parameters is queued or running, that run is returned instead: a
    second click or a retried request does not fetch the same papers twice."""
    stored, role = _validated(
        kind=kind, parameters=parameters, role_profile=role_profile, opening=opening
    )
    with transaction.atomic():
        active = SourcingRun.objects.filter(
            kind=kind, role_profile=role, opening=opening, status__in=SourcingRun.ACTIVE
        ).order_by("pk")
        # Compared here rather than in SQL: JSON equality differs between the databases.
        twin = next((run for run in active if run.parameters == stored), None)
        if twin is not None:
            return twin, False
        run = SourcingRun.objects.create(
            kind=kind, parameters=stored, role_profile=role, opening=opening, requested_by=actor(by)
        )
        run_enqueue(task=run_sourcing, run=run)
    return run, True


def sourcing_run_cancel(*, run: SourcingRun, by: Actor = None) -> SourcingRun:
    """Stop a queued or running run; its worker notices at its next batch."""
    return run_cancel(run=run)


def sourcing_run_resume(*, run: SourcingRun, by: Actor = None, deliver: bool = True) -> SourcingRun:
    """Queue a failed or cancelled run again; it continues from its checkpoint.
    ``deliver=False`` for a command that executes it in its own process."""
    with transaction.atomic():
        run = run_resume(run=run)
        if deliver:
            run_enqueue(task=run_sourcing, run=run)
    return run


def sourcing_runs_launch_nightly_harvest() -> list[SourcingRun]:
    """One OAI-PMH run per configured set from its last datestamp, ranking prospects for every
    active role. A set with a harvest still queued or running is skipped."""
    started = []
    for set_spec in settings.ARXIV_OAI_SETS:
        busy = SourcingRun.objects.filter(
            kind=SourcingRun.Kind.OAI, parameters__set=set_spec, status__in=SourcingRun.ACTIVE
        ).exists()
        if busy:
            continue
        run, _ = sourcing_run_launch(
            kind=SourcingRun.Kind.OAI, parameters={"set": set_spec, "all_roles": True}
        )
        started.append(run)
    return started
