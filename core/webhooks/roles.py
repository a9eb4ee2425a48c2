"""Managing webhooks is its own permission (``core.*_webhookendpoint``, redelivering needs
``core.change_webhookdelivery``): recruiters and admins hold it, ATS tokens and interviewers
do not, since an endpoint receives every candidate's data."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

# hiring.roles.RECRUITERS, by name: core imports no app.
RECRUITERS = "Recruiters"

RECRUITER_CODENAMES = {
    "view_webhookendpoint",
    "add_webhookendpoint",
    "change_webhookendpoint",
    "delete_webhookendpoint",
    "view_webhookdelivery",
    "change_webhookdelivery",
    "view_webhookattempt",
}


def grant_webhook_permissions(sender: Any = None, **kwargs: Any) -> None:
    """Idempotent: adds the webhook permissions to the Recruiters group once both exist (hiring
    creates the group in its own post_migrate, after core's, hence connected for every app)."""
    group = Group.objects.filter(name=RECRUITERS).first()
    if group is None:
        return
    perms = Permission.objects.filter(
        content_type__app_label="core", codename__in=RECRUITER_CODENAMES
    )
    group.permissions.add(*perms)
