"""The built-in groups: who may do what, as Django permissions so the admin and the API agree."""

from typing import Any

from django.contrib.auth.models import Group, Permission

RECRUITERS = "Recruiters"
ATS_INTEGRATIONS = "ATS integrations"
HIRING_MANAGERS = "Hiring managers"
INTERVIEWERS = "Interviewers"

_HIRING_MODELS = ("candidate", "candidateemail", "application", "stagechange", "opening")
_READ_ONLY = ("roleprofile", "rolebar", "barversion", "competency")
# Data-protection requests arrive at the recruiters and through the ATS.
_PRIVACY = {"erase_candidate", "export_candidate"}


def _codenames_for(group: str) -> set[str]:
    if group == RECRUITERS:
        return (
            {f"{a}_{m}" for m in _HIRING_MODELS for a in ("view", "add", "change", "delete")}
            | {f"{a}_{m}" for m in _READ_ONLY for a in ("view", "add", "change")}
            | _PRIVACY
        )
    if group == ATS_INTEGRATIONS:
        return (
            {f"{a}_{m}" for m in _HIRING_MODELS for a in ("view", "add", "change")}
            | {f"view_{m}" for m in _READ_ONLY}
            | _PRIVACY
        )
    return set()


def ensure_default_groups(sender: Any = None, **kwargs: Any) -> None:
    """Create the groups and grant their hiring permissions; idempotent. Other apps add their own
    permissions to these groups from their own post_migrate handlers."""
    for name in (RECRUITERS, ATS_INTEGRATIONS, HIRING_MANAGERS, INTERVIEWERS):
        group, _ = Group.objects.get_or_create(name=name)
        codenames = _codenames_for(name)
        if codenames:
            perms = Permission.objects.filter(
                content_type__app_label="hiring", codename__in=codenames
            )
            group.permissions.add(*perms)
        if name in (RECRUITERS, ATS_INTEGRATIONS):
            # The whole audit trail; hiring managers read only their openings' events.
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="core", codename="view_event")
            )


def grant_message_permissions(sender: Any = None, **kwargs: Any) -> None:
    """E-mail: recruiters read the message log and edit the templates; ATS integrations read the
    log. Nobody adds or edits a message by hand: services write them. Idempotent."""
    grants = {
        RECRUITERS: {"view_message", "view_messagetemplate", "change_messagetemplate"},
        ATS_INTEGRATIONS: {"view_message"},
    }
    for name, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="hiring", codename__in=codenames)
        )
