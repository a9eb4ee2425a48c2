"""Input and output shapes of the sourcing API; output serializers read only what the selectors
loaded."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from hiring.models import RoleProfile
from sourcing.models import Prospect, SourcingRun


class SourcingRunInput(serializers.Serializer):
    # Snapshot imports read a server-side file, so they are started by command or task only.
    kind = serializers.ChoiceField(
        choices=[SourcingRun.Kind.API, SourcingRun.Kind.OAI], default=SourcingRun.Kind.API
    )
    role = serializers.SlugField(required=False, help_text="Role profile slug")
    opening = serializers.IntegerField(required=False, help_text="Opening id (implies its role)")
    query = serializers.CharField(required=False, max_length=2000)
    from_date = serializers.DateField(required=False, source="from")
    to_date = serializers.DateField(required=False, source="to")
    max_results = serializers.IntegerField(required=False, min_value=1, max_value=30_000)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=2000)
    set = serializers.CharField(required=False, max_length=64, help_text="OAI-PMH set, e.g. cs")

    def to_parameters(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data.pop("kind", None)
        data.pop("role", None)
        data.pop("opening", None)
        return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


class SourcingRunOutput(serializers.ModelSerializer):
    # Null for a run of a plain query, and for one the nightly schedule started.
    role: serializers.SlugRelatedField[RoleProfile] = serializers.SlugRelatedField(
        source="role_profile", slug_field="slug", read_only=True, allow_null=True
    )
    # The API's name for who requested the run (``requested_by`` on every run kind).
    started_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        source="requested_by", slug_field="username", read_only=True, allow_null=True
    )
    percent = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = SourcingRun
        fields = [
            "id",
            "kind",
            "status",
            "role",
            "opening",
            "parameters",
            "processed",
            "total",
            "percent",
            "papers_count",
            "people_count",
            "candidates_count",
            "suppressed_count",
            "checkpoint",
            "error",
            "started_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class ProspectOutput(serializers.ModelSerializer):
    role: serializers.SlugRelatedField[RoleProfile] = serializers.SlugRelatedField(
        source="role_profile", slug_field="slug", read_only=True
    )
    person = serializers.SerializerMethodField()
    candidate = serializers.IntegerField(
        source="person.candidate_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Prospect
        fields = [
            "id",
            "role",
            "person",
            "candidate",
            "score",
            "breakdown",
            "first_author_papers",
            "last_author_papers",
            "updated_at",
        ]
        read_only_fields = fields

    def get_person(self, prospect: Prospect) -> dict[str, Any]:
        person = prospect.person
        return {
            "id": person.pk,
            "name": person.display_name,
            "name_forms": [f.get("name") for f in person.name_forms if isinstance(f, dict)],
            "confidence": person.confidence,
        }
