from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Hiring"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from hiring.events import register_representations
        from hiring.roles import ensure_default_groups

        # Groups need the permissions Django creates after migrating, hence post_migrate.
        post_migrate.connect(ensure_default_groups, sender=self)
        register_representations()
