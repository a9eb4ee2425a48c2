from django.apps import AppConfig


class SourcingGithubConfig(AppConfig):
    name = "sourcing.github"
    label = "sourcing_github"
    verbose_name = "Sourcing: paper re-implementations"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core.events.representation import register
        from hiring.services import candidate_merged
        from sourcing.github.merges import accounts_follow_merged_candidate
        from sourcing.github.roles import grant_recruiter_permissions
        from sourcing.github.serializers import RunOutput

        # The hiring app creates the groups on post_migrate; ours runs after it (app order) and
        # adds this app's permissions to them.
        post_migrate.connect(grant_recruiter_permissions, sender=self)
        candidate_merged.connect(
            accounts_follow_merged_candidate, dispatch_uid="sourcing-github-accounts"
        )
        # A run's events carry what the API shows of it.
        register("implementation_run", lambda run: dict(RunOutput(run).data))
