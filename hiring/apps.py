from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Hiring"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from hiring.events import register_representations
        from hiring.roles import ensure_default_groups, grant_message_permissions
        from hiring.services import messages
        from hiring.tasks import send_message

        # Groups need the permissions Django creates after migrating, hence post_migrate.
        post_migrate.connect(ensure_default_groups, sender=self)
        post_migrate.connect(grant_message_permissions, sender=self)
        # Queued e-mail goes to this task; the services cannot import it (it imports them).
        messages.connect(task=send_message)
        register_representations()
        from hiring.services.messages import message_sent
        from hiring.services.notices import on_message_sent

        # The Art. 14 clock stops when the mail server took the notice, not when it was queued.
        message_sent.connect(on_message_sent, dispatch_uid="hiring.notice_delivered")
