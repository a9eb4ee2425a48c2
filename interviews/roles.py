"""Interview permissions for the built-in groups (created by ``hiring.roles``). Interviewers
write scorecards, grades and debugging sessions; recruiters run everything, including kits and
templates in the admin; hiring managers read; the ATS reads, schedules interviews and sends
take-homes."""

from typing import Any

from django.contrib.auth.models import Group, Permission

from hiring import roles

_ALL_MODELS = (
    "interviewkit",
    "kitquestion",
    "interview",
    "scorecard",
    "scorecardrating",
    "scorecardamendment",
    "takehometemplate",
    "takehomecriterion",
    "takehomeassignment",
    "takehomegrade",
    "takehomecriterionscore",
    "debuggingtask",
    "seededbug",
    "debuggingsession",
    "bugfinding",
    "applicationverdict",
)
_INTERVIEWER_WRITES = (
    "scorecard",
    "scorecardrating",
    "scorecardamendment",
    "takehomegrade",
    "takehomecriterionscore",
    "debuggingsession",
    "bugfinding",
)
_INTERVIEWER_READS = (
    "interviewkit",
    "kitquestion",
    "interview",
    "takehometemplate",
    "takehomecriterion",
    "debuggingtask",
    "seededbug",
)


def _codenames_for(group: str) -> set[str]:
    if group == roles.RECRUITERS:
        return {f"{a}_{m}" for m in _ALL_MODELS for a in ("view", "add", "change", "delete")}
    if group == roles.HIRING_MANAGERS:
        return {f"view_{m}" for m in _ALL_MODELS}
    if group == roles.ATS_INTEGRATIONS:
        # The ATS already reads every application, scorecard and verdict (hiring's
        # view_application); it also reads the kits, schedules interviews and sends take-homes
        # for the hiring managers it serves. It never writes scorecards or grades.
        return {f"view_{m}" for m in _ALL_MODELS} | {
            "add_interview",
            "change_interview",  # cancel and reschedule
            "add_takehomeassignment",
        }
    if group == roles.INTERVIEWERS:
        return {f"view_{m}" for m in _INTERVIEWER_READS} | {
            f"{a}_{m}" for m in _INTERVIEWER_WRITES for a in ("view", "add", "change")
        }
    return set()


def grant_interview_permissions(sender: Any = None, **kwargs: Any) -> None:
    """Add the interviews permissions to the groups; idempotent (``add`` ignores existing)."""
    roles.ensure_default_groups()
    for name in (
        roles.RECRUITERS,
        roles.HIRING_MANAGERS,
        roles.INTERVIEWERS,
        roles.ATS_INTEGRATIONS,
    ):
        group = Group.objects.get(name=name)
        perms = Permission.objects.filter(
            content_type__app_label="interviews", codename__in=_codenames_for(name)
        )
        group.permissions.add(*perms)
