from django.apps import AppConfig


class SourcingConfig(AppConfig):
    name = "sourcing"
    verbose_name = "Sourcing"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from sourcing.roles import grant_sourcing_permissions

        # Permissions exist only after migrating, hence post_migrate (as hiring.roles does).
        post_migrate.connect(grant_sourcing_permissions, sender=self)
