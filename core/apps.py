from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: API plumbing, admin bases, the requester, the run lifecycle, the
    event log and webhooks. It imports no app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Events and webhooks"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core.api.credentials import connect_invalidation
        from core.events.representation import register
        from core.tasks import deliver_webhook
        from core.webhooks import outbox
        from core.webhooks.roles import grant_webhook_permissions
        from core.webhooks.serializers import ping_representation

        # Cached API credentials are dropped on every change to tokens, users, groups or
        # permissions, whichever app makes it.
        connect_invalidation()
        # Every recorded event gets its webhook deliveries in its own transaction.
        outbox.connect(task=deliver_webhook)
        register("webhook", ping_representation)
        # The webhook admin pages: Django's autodiscovery imports ``core.admin``, which is the
        # package of admin bases every app uses, so the pages are registered from here.
        import core.webhooks.admin  # noqa: F401

        # Not only for core: the Recruiters group is made by hiring's post_migrate, which runs
        # after core's; granting is idempotent.
        post_migrate.connect(grant_webhook_permissions, dispatch_uid="core-webhook-permissions")
