"""Input and output shapes of the hiring API, nothing else: input serializers check types and
sizes, services check the rules, output serializers read only what the selectors loaded (a query
from an output serializer would run once per row: an N+1 on the list endpoints)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from core.api.filters import MAX_ID
from hiring.models import (
    Application,
    Candidate,
    Opening,
    RejectionReason,
    RoleProfile,
    Stage,
)
from hiring.services import allowed_next_stages


def _max_length(model: Any, field: str) -> int:
    length = model._meta.get_field(field).max_length
    assert length is not None
    return int(length)


class StrictInputSerializer(serializers.Serializer):
    """Rejects keys it does not declare. DRF drops them silently by default, and an ATS that
    misspells ``notice_state`` would then believe the value was saved."""

    rejects_unknown_fields = True  # the schema says so (core.api.schema)

    def to_internal_value(self, data: Any) -> Any:
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, Mapping) else []
        if not unknown:
            return super().to_internal_value(data)
        errors: dict[str, Any] = {name: ["Unknown field."] for name in unknown}
        try:
            super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail
            errors |= (
                dict(detail)
                if isinstance(detail, Mapping)
                else {api_settings.NON_FIELD_ERRORS_KEY: detail}
            )
        raise serializers.ValidationError(errors)


class UsernameField(serializers.SlugRelatedField):
    """A user by username. A NUL byte is refused before the look-up, where PostgreSQL would
    raise ``DataError`` (DRF's field only turns ``ValueError``/``TypeError`` into a 400)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


# --- roles --------------------------------------------------------------------------------------


class RoleBarOutput(serializers.Serializer):
    """Same keys as a frozen ``BarVersion.bars`` entry, so the ATS reads both with one parser."""

    competency = serializers.CharField(source="competency.slug")
    name = serializers.CharField(source="competency.name")
    minimum_level = serializers.IntegerField()
    strength_level = serializers.IntegerField(allow_null=True)


class RoleOutput(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    delivers = serializers.CharField()
    typical_background = serializers.CharField()
    bar_version = serializers.IntegerField(
        source="current_bar_version",
        allow_null=True,
        help_text="Number of the latest published bar version; null before the first one.",
    )
    bars = RoleBarOutput(many=True)
    sourcing_categories = serializers.ListField(child=serializers.CharField())
    sourcing_keywords = serializers.ListField(child=serializers.CharField())
    interview_loop = serializers.ListField(child=serializers.CharField())


# --- openings -----------------------------------------------------------------------------------


class OpeningOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    role = serializers.SlugField(source="role_profile.slug")
    level = serializers.ChoiceField(choices=Opening.Level.choices)
    team = serializers.CharField()
    headcount = serializers.IntegerField()
    hiring_manager = serializers.CharField(source="hiring_manager.username", allow_null=True)
    status = serializers.ChoiceField(choices=Opening.Status.choices)
    opened_on = serializers.DateField(allow_null=True)
    target_fill_date = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class OpeningInput(StrictInputSerializer):
    """Create needs ``title`` and ``role``; PATCH validates with ``partial=True`` and rejects
    ``role``, which is fixed for the opening's life (see ``OPENING_FIELDS``)."""

    title = serializers.CharField(max_length=_max_length(Opening, "title"))
    role = serializers.SlugField(
        max_length=_max_length(RoleProfile, "slug"), help_text="Slug of an active role profile."
    )
    level = serializers.ChoiceField(choices=Opening.Level.choices, required=False)
    team = serializers.CharField(
        max_length=_max_length(Opening, "team"), allow_blank=True, required=False
    )
    headcount = serializers.IntegerField(min_value=1, max_value=32767, required=False)
    hiring_manager = UsernameField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        allow_null=True,
        required=False,
        help_text="Username of the hiring manager, who then sees this opening's candidates.",
    )
    status = serializers.ChoiceField(choices=Opening.Status.choices, required=False)
    opened_on = serializers.DateField(required=False, allow_null=True)
    target_fill_date = serializers.DateField(
        required=False, allow_null=True, help_text="When the team wants it filled (forecast)."
    )
    closed_on = serializers.DateField(required=False, allow_null=True)


class OpeningUpdateInput(OpeningInput):
    role = None  # type: ignore[assignment]


# --- candidates ---------------------------------------------------------------------------------


def _identifier(field: str) -> serializers.CharField:
    return serializers.CharField(
        max_length=_max_length(Candidate, field), allow_blank=True, allow_null=True, required=False
    )


class CandidateInput(StrictInputSerializer):
    """Create needs only ``full_name``; PATCH validates with ``partial=True``. Blank or null
    natural keys (``github_login``, ``orcid``, ``external_id``) mean unknown."""

    full_name = serializers.CharField(max_length=_max_length(Candidate, "full_name"))
    emails = serializers.ListField(
        child=serializers.EmailField(max_length=254),
        max_length=50,
        required=False,
        help_text="Every address of the person, primary first; replaces the stored list.",
    )
    homepage = serializers.URLField(
        max_length=_max_length(Candidate, "homepage"), allow_blank=True, required=False
    )
    github_login = _identifier("github_login")
    orcid = _identifier("orcid")
    external_id = _identifier("external_id")
    arxiv_name_forms = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=50, required=False
    )
    openreview_id = serializers.CharField(
        max_length=_max_length(Candidate, "openreview_id"), allow_blank=True, required=False
    )
    semantic_scholar_id = serializers.CharField(
        max_length=_max_length(Candidate, "semantic_scholar_id"), allow_blank=True, required=False
    )
    # The field is named like ``Field.source``; DRF allows it, the stubs do not.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=Candidate.Source.choices, required=False
    )
    source_evidence = serializers.CharField(allow_blank=True, max_length=20_000, required=False)
    notice_state = serializers.ChoiceField(choices=Candidate.NoticeState.choices, required=False)
    consent_state = serializers.ChoiceField(choices=Candidate.ConsentState.choices, required=False)


class CandidateUpsertInput(CandidateInput):
    """The external id comes from the URL."""

    external_id = None  # type: ignore[assignment]


class CandidateOutput(serializers.Serializer):
    """The list shape: identifiers and states only, so a page of 200 stays cheap to render."""

    id = serializers.IntegerField()
    full_name = serializers.CharField()
    emails = serializers.SerializerMethodField()
    github_login = serializers.CharField(allow_null=True)
    orcid = serializers.CharField(allow_null=True)
    external_id = serializers.CharField(allow_null=True)
    homepage = serializers.CharField()
    source = serializers.ChoiceField(choices=Candidate.Source.choices)  # type: ignore[assignment]
    notice_state = serializers.ChoiceField(choices=Candidate.NoticeState.choices)
    consent_state = serializers.ChoiceField(choices=Candidate.ConsentState.choices)
    notice_due_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the GDPR Art. 14 notice is due (one month after sourcing); null when "
        "none is owed.",
    )
    erased_at = serializers.DateTimeField(
        allow_null=True, help_text="Set once the person was erased; only pseudonymous data is left."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ListField(child=serializers.EmailField()))
    def get_emails(self, candidate: Candidate) -> list[str]:
        # The selectors prefetch the addresses, primary first.
        return [e.email for e in candidate.emails.all()]

    @staticmethod
    def render_row(row: dict[str, Any]) -> dict[str, Any]:
        """This shape from a row of ``selectors.candidate_page_rows``, without a serializer per
        row (the list's hot path; ``test_api_candidates`` checks that both renderings agree)."""
        return {
            "id": row["id"],
            "full_name": row["full_name"],
            "emails": row["addresses"],
            "github_login": row["github_login"],
            "orcid": row["orcid"],
            "external_id": row["external_id"],
            "homepage": row["homepage"],
            "source": row["source"],
            "notice_state": row["notice_state"],
            "consent_state": row["consent_state"],
            "notice_due_at": row["notice_due_at_iso"],
            "erased_at": row["erased_at_iso"],
            "created_at": row["created_at_iso"],
            "updated_at": row["updated_at_iso"],
        }


class CandidateApplicationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    opening = serializers.IntegerField(source="opening_id")
    opening_title = serializers.CharField(source="opening.title")
    role = serializers.SlugField(source="opening.role_profile.slug")
    stage = serializers.ChoiceField(choices=Stage.choices)


class CandidateDetailOutput(CandidateOutput):
    arxiv_name_forms = serializers.ListField(child=serializers.CharField())
    sourced_at = serializers.DateTimeField(
        allow_null=True, help_text="When sourcing found this person: the notice clock started."
    )
    notice_sent_at = serializers.DateTimeField(
        allow_null=True, help_text="When the notice was handed to the mail server."
    )
    objected_at = serializers.DateTimeField(
        allow_null=True, help_text="When the person objected; they are not contacted again."
    )
    openreview_id = serializers.CharField()
    semantic_scholar_id = serializers.CharField()
    source_evidence = serializers.CharField()
    merged_into = serializers.IntegerField(
        source="merged_into_id",
        allow_null=True,
        help_text="Set on a duplicate that was merged: the candidate that holds its data now.",
    )
    applications = serializers.SerializerMethodField(
        help_text="The candidate's applications the requester may see."
    )

    @extend_schema_field(CandidateApplicationOutput(many=True))
    def get_applications(self, candidate: Candidate) -> Any:
        return CandidateApplicationOutput(self.context["applications"], many=True).data


class CandidateMergeInput(StrictInputSerializer):
    into = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The candidate that stays and takes everything."
    )


# --- applications -------------------------------------------------------------------------------


class ApplicationCreateInput(StrictInputSerializer):
    candidate = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    opening = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=5_000)


class ApplicationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    candidate = serializers.IntegerField(source="candidate_id")
    candidate_name = serializers.CharField(source="candidate.full_name")
    opening = serializers.IntegerField(source="opening_id")
    opening_title = serializers.CharField(source="opening.title")
    role = serializers.SlugField(source="opening.role_profile.slug")
    bar_version = serializers.IntegerField(
        source="bar_version.number", help_text="The bar version this application is judged by."
    )
    stage = serializers.ChoiceField(choices=Stage.choices)
    rejection_reason = serializers.ChoiceField(choices=RejectionReason.choices, allow_blank=True)
    allowed_next_stages = serializers.SerializerMethodField()
    stage_changed_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Stage.choices)))
    def get_allowed_next_stages(self, application: Application) -> list[str]:
        return sorted(allowed_next_stages(application.stage))


class BarOutput(serializers.Serializer):
    competency = serializers.CharField()
    name = serializers.CharField()
    minimum_level = serializers.IntegerField()
    strength_level = serializers.IntegerField(allow_null=True)


class ApplicationDetailOutput(ApplicationOutput):
    bars = BarOutput(
        source="bar_version.bars", many=True, help_text="The frozen bars of that version."
    )


class TransitionInput(StrictInputSerializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=5_000)
    rejection_reason = serializers.ChoiceField(
        choices=RejectionReason.choices,
        allow_blank=True,
        required=False,
        default="",
        help_text="Required when (and only when) to_stage is rejected.",
    )


class StageChangeOutput(serializers.Serializer):
    from_stage = serializers.CharField(help_text='Empty for the first entry ("opened").')
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    reason = serializers.CharField()
    rejection_reason = serializers.CharField()
    actor = serializers.CharField(source="actor.username", allow_null=True)
    at = serializers.DateTimeField(source="created_at")
