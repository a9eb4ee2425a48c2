"""Who may see what in analytics: recruiters see calibration (it names interviewers); hiring
managers see the funnel and forecasts of their own openings only (scoped by the selectors)."""

from typing import Any

from django.contrib.auth.models import Group, Permission

from hiring import roles


def grant_calibration_to_recruiters(sender: Any = None, **kwargs: Any) -> None:
    """Idempotent: runs after every migrate, after hiring has created the groups."""
    group, _ = Group.objects.get_or_create(name=roles.RECRUITERS)
    permission = Permission.objects.filter(
        content_type__app_label="analytics", codename="view_calibration"
    ).first()
    if permission is not None:
        group.permissions.add(permission)
