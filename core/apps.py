from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: API plumbing, admin bases, the requester, the run lifecycle.
    It has no tables of its own (its run model is abstract) and imports no app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from core.api.credentials import connect_invalidation

        # Cached API credentials are dropped on every change to tokens, users, groups or
        # permissions, whichever app makes it.
        connect_invalidation()
