from django.apps import AppConfig


class SourcingGithubConfig(AppConfig):
    name = "sourcing.github"
    label = "sourcing_github"
    verbose_name = "Sourcing: paper re-implementations"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from sourcing.github.roles import grant_recruiter_permissions

        # The hiring app creates the groups on post_migrate; ours runs after it (app order) and
        # adds this app's permissions to them.
        post_migrate.connect(grant_recruiter_permissions, sender=self)
