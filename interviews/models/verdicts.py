"""A read-only admin entry point for the verdict of an application. A proxy, so the admin can list
applications under "Interviews" without the hiring core knowing about interviews."""

from __future__ import annotations

from hiring.models import Application


class ApplicationVerdict(Application):
    class Meta:
        proxy = True
        verbose_name = "application verdict"
        verbose_name_plural = "application verdicts"
