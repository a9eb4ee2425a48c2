from django.apps import AppConfig


class SourcingConfig(AppConfig):
    name = "sourcing"
    verbose_name = "Sourcing"

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
        from sourcing.disclosure import arxiv_export, papers_as_sources
        from sourcing.erasure import people_erase, people_identify
        from sourcing.merges import people_follow_merged_candidate
        from sourcing.roles import grant_sourcing_permissions
        from sourcing.serializers import SourcingRunOutput

        # Permissions exist only after migrating, hence post_migrate (as hiring.roles does).
        post_migrate.connect(grant_sourcing_permissions, sender=self)
        candidate_merged.connect(people_follow_merged_candidate, dispatch_uid="sourcing-people")
        # The person's privacy requests (hiring.services: erasure, notice, access export).
        candidate_identifying.connect(people_identify, dispatch_uid="sourcing-people")
        candidate_erasing.connect(people_erase, dispatch_uid="sourcing-people")
        candidate_sources.connect(papers_as_sources, dispatch_uid="sourcing-papers")
        candidate_exporting.connect(arxiv_export, dispatch_uid="sourcing-arxiv")
        # A run's events carry what the API shows of it.
        register("sourcing_run", lambda run: dict(SourcingRunOutput(run).data))
