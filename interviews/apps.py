from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from interviews.events import register_representations
        from interviews.roles import grant_interview_permissions

        # Permissions exist only after migrating, and the groups after hiring's own handler.
        post_migrate.connect(grant_interview_permissions, sender=self)
        register_representations()
