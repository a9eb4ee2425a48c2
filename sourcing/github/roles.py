"""This app's permissions for the built-in groups: recruiters see and start runs; ATS integrations
may read the results."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from hiring import roles

_MODELS = ("implementation", "implementationrun", "repository", "githubaccount")


def grant_recruiter_permissions(sender: Any = None, **kwargs: Any) -> None:
    grants = {
        roles.RECRUITERS: {f"{a}_{m}" for m in _MODELS for a in ("view", "add", "change")},
        roles.ATS_INTEGRATIONS: {f"view_{m}" for m in _MODELS},
    }
    for name, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(
            content_type__app_label="sourcing_github", codename__in=codenames
        )
        group.permissions.add(*perms)
