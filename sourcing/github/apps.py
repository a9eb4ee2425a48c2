from django.apps import AppConfig


class SourcingGithubConfig(AppConfig):
    name = "sourcing.github"
    label = "sourcing_github"
    verbose_name = "Sourcing: paper re-implementations"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core.events.representation import register
        from hiring.services import (
            candidate_erasing,
            candidate_exporting,
            candidate_identifying,
            candidate_merged,
            candidate_sources,
        )
        from sourcing.github.disclosure import github_export, repositories_as_sources
        from sourcing.github.erasure import accounts_erase, accounts_identify
        from sourcing.github.merges import accounts_follow_merged_candidate
        from sourcing.github.roles import grant_recruiter_permissions
        from sourcing.github.serializers import RunOutput

        # The hiring app creates the groups on post_migrate; ours runs after it (app order) and
        # adds this app's permissions to them.
        post_migrate.connect(grant_recruiter_permissions, sender=self)
        candidate_merged.connect(
            accounts_follow_merged_candidate, dispatch_uid="sourcing-github-accounts"
        )
        # The person's privacy requests (hiring.services: erasure, notice, access export).
        candidate_identifying.connect(accounts_identify, dispatch_uid="sourcing-github-accounts")
        candidate_erasing.connect(accounts_erase, dispatch_uid="sourcing-github-accounts")
        candidate_sources.connect(repositories_as_sources, dispatch_uid="sourcing-github-repos")
        candidate_exporting.connect(github_export, dispatch_uid="sourcing-github")
        # A run's events carry what the API shows of it.
        register("implementation_run", lambda run: dict(RunOutput(run).data))
