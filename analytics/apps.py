from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AnalyticsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from analytics.roles import grant_calibration_to_recruiters

        post_migrate.connect(grant_calibration_to_recruiters, sender=self)
