"""Analytics stores nothing of its own: everything is computed from hiring's and interviews'
records. The one model here is unmanaged (no table) and exists to hold the permission that
calibration needs, so the admin, the pages and the API check one Django permission."""

from django.db import models


class AnalyticsAccess(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_calibration", "Can see interviewer calibration")]

    def __str__(self) -> str:
        return "analytics access"
