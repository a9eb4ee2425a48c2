from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from hiring.services import candidate_erasing, candidate_exporting
        from interviews.disclosure import interviews_export
        from interviews.erasure import interviews_erase
        from interviews.events import register_representations
        from interviews.roles import grant_interview_permissions

        # Permissions exist only after migrating, and the groups after hiring's own handler.
        post_migrate.connect(grant_interview_permissions, sender=self)
        register_representations()
        # The person's privacy requests (hiring.services: erasure, access export).
        candidate_erasing.connect(interviews_erase, dispatch_uid="interviews")
        candidate_exporting.connect(interviews_export, dispatch_uid="interviews")
