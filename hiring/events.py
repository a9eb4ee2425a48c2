"""How hiring's objects read in events (``core.events``): the API's own output shapes, so a
webhook's ``data`` is what a GET of the object returns."""

from __future__ import annotations

from typing import Any

from core.events.representation import register
from hiring.models import Application, Candidate, Opening, RoleProfile
from hiring.serializers import ApplicationOutput, CandidateOutput, OpeningOutput


def _candidate(candidate: Candidate) -> dict[str, Any]:
    return dict(CandidateOutput(candidate).data)


def _application(application: Application) -> dict[str, Any]:
    return dict(ApplicationOutput(application).data)


def _opening(opening: Opening) -> dict[str, Any]:
    return dict(OpeningOutput(opening).data)


def _role_profile(role: RoleProfile) -> dict[str, Any]:
    return {"id": role.pk, "slug": role.slug, "title": role.title}


def register_representations() -> None:
    register("candidate", _candidate)
    register("application", _application)
    register("opening", _opening)
    register("role_profile", _role_profile)
