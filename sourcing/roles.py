"""Recruiters run sourcing and curate author identities; nobody else gets sourcing by default."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from hiring.roles import RECRUITERS

_RECRUITER_CODENAMES = {
    "view_sourcingrun",
    "add_sourcingrun",
    "change_sourcingrun",
    "view_paper",
    "view_authorship",
    "view_person",
    "change_person",
    "view_personchange",
    "view_prospect",
}


def grant_sourcing_permissions(sender: Any = None, **kwargs: Any) -> None:
    """Idempotent: adds the sourcing permissions to the Recruiters group."""
    group, _ = Group.objects.get_or_create(name=RECRUITERS)
    perms = Permission.objects.filter(
        content_type__app_label="sourcing", codename__in=_RECRUITER_CODENAMES
    )
    group.permissions.add(*perms)
