import pytest
from django.core.exceptions import ValidationError

from hiring.models import Stage
from hiring.services import (
    CandidateInput,
    application_create,
    application_transition,
    candidate_create,
    candidate_upsert_by_external_id,
    role_profile_publish_bars,
)
from tests.hiring.factories import CandidateFactory, OpeningFactory, RoleBarFactory

pytestmark = pytest.mark.django_db


def test_editing_bars_creates_a_new_version_and_keeps_the_old_one_for_open_applications():
    # given an application opened against version 1 of the bars
    bar = RoleBarFactory(minimum_level=2)
    opening = OpeningFactory(role_profile=bar.role_profile)
    application = application_create(candidate=CandidateFactory(), opening=opening)
    assert application.bar_version.number == 1

    # when the recruiter raises the bar
    bar.minimum_level = 3
    bar.save()
    v2 = role_profile_publish_bars(role_profile=bar.role_profile)

    # then new applications get version 2 and the old one still reads version 1
    assert v2.number == 2
    application.refresh_from_db()
    assert application.bar_version.bars[0]["minimum_level"] == 2
    assert role_profile_publish_bars(role_profile=bar.role_profile) == v2


def test_only_legal_transitions_and_rejections_need_a_reason():
    application = application_create(candidate=CandidateFactory(), opening=OpeningFactory())
    with pytest.raises(ValidationError) as exc:
        application_transition(application=application, to_stage=Stage.OFFER)
    assert "to_stage" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        application_transition(application=application, to_stage=Stage.REJECTED)
    assert "rejection_reason" in exc.value.message_dict
    application_transition(application=application, to_stage=Stage.SCREEN, reason="looks good")
    application_transition(
        application=application, to_stage=Stage.REJECTED, rejection_reason="below_bar"
    )
    assert [c.to_stage for c in application.history.all()] == ["sourced", "screen", "rejected"]
    with pytest.raises(ValidationError):
        application_transition(application=application, to_stage=Stage.SCREEN)


def test_duplicate_natural_keys_are_field_errors():
    candidate_create(
        data=CandidateInput({"full_name": "Ada", "github_login": "Ada"}, ["ada@example.org"])
    )
    with pytest.raises(ValidationError) as exc:
        candidate_create(
            data=CandidateInput({"full_name": "Ada 2", "github_login": "ada"}, ["ADA@example.org"])
        )
    assert set(exc.value.message_dict) == {"github_login", "emails"}


def test_upsert_by_external_id_is_idempotent():
    first, created = candidate_upsert_by_external_id(
        external_id="ats-1", data=CandidateInput({"full_name": "Bo"}, ["bo@example.org"])
    )
    again, created_again = candidate_upsert_by_external_id(
        external_id="ats-1", data=CandidateInput({"full_name": "Bo"}, ["bo@example.org"])
    )
    assert created and not created_again and first.pk == again.pk
    assert list(again.emails.values_list("email", flat=True)) == ["bo@example.org"]
