"""Input and output shapes of the re-implementation API; no rules here."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from sourcing.github.models import Implementation, ImplementationRun
from sourcing.github.selectors import RankedReimplementer


class RunInput(serializers.Serializer[Any]):
    arxiv_id = serializers.CharField(required=False, max_length=64)
    opening = serializers.IntegerField(required=False, min_value=1)
    top_n = serializers.IntegerField(required=False, min_value=1, max_value=50, default=5)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("arxiv_id")) == bool(attrs.get("opening")):
            raise serializers.ValidationError("Give either arxiv_id or opening.")
        return attrs


class RunOutput(serializers.ModelSerializer[ImplementationRun]):
    # Null for a run over an opening (it starts one run per paper).
    arxiv_id = serializers.CharField(
        source="paper.arxiv_id", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = ImplementationRun
        fields = [
            "id",
            "kind",
            "status",
            "arxiv_id",
            "opening",
            "top_n",
            "parent",
            "progress",
            "suppressed_count",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImplementationOutput(serializers.ModelSerializer[Implementation]):
    repository = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()

    class Meta:
        model = Implementation
        fields = [
            "id",
            "verdict",
            "confidence",
            "reasons",
            "found_by",
            "score",
            "score_breakdown",
            "repository",
            "owner",
            "updated_at",
        ]
        read_only_fields = fields

    def get_repository(self, obj: Implementation) -> dict[str, Any]:
        repo = obj.repository
        return {
            "full_name": repo.full_name,
            "html_url": repo.html_url,
            "description": repo.description,
            "stars": repo.stars,
            "forks": repo.forks,
            "language": repo.language,
            "pushed_at": repo.pushed_at.isoformat() if repo.pushed_at else None,
            "is_fork": repo.is_fork,
            "readme_reports_results": repo.readme_reports_results,
            "gone": repo.gone_at is not None,
        }

    def get_owner(self, obj: Implementation) -> dict[str, Any]:
        owner = obj.repository.owner
        return {
            "login": owner.login,
            "kind": owner.kind,
            "name": owner.name,
            "company": owner.company,
            "location": owner.location,
            "followers": owner.followers,
            "candidate": owner.candidate_id,
        }


class ReimplementerOutput(serializers.Serializer[RankedReimplementer]):
    candidate = serializers.SerializerMethodField()
    score = serializers.FloatField()
    breakdown = serializers.ListField(child=serializers.DictField())
    implementations = serializers.SerializerMethodField()

    def get_candidate(self, obj: RankedReimplementer) -> dict[str, Any]:
        return {
            "id": obj.candidate.pk,
            "full_name": obj.candidate.full_name,
            "github_login": obj.candidate.github_login,
            "homepage": obj.candidate.homepage,
        }

    def get_implementations(self, obj: RankedReimplementer) -> list[dict[str, Any]]:
        return [
            {
                "arxiv_id": i.paper.arxiv_id,
                "repository": i.repository.full_name,
                "html_url": i.repository.html_url,
                "score": i.score,
                "confidence": i.confidence,
            }
            for i in obj.implementations
        ]
