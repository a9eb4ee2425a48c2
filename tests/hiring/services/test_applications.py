"""``hiring.services.applications``: an application opens in ``sourced`` against the current bars,
moves only along legal steps, never leaves a final stage, and records every move."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from hiring.models import Application, BarVersion, Opening, RejectionReason, Stage, StageChange
from hiring.services import (
    ALREADY_APPLIED,
    FINAL_STAGES,
    allowed_next_stages,
    application_create,
    application_transition,
    applications_transition_many,
    role_profile_publish_bars,
)
from tests.hiring.factories import CandidateFactory, OpeningFactory, RoleBarFactory, UserFactory

pytestmark = pytest.mark.django_db

# The pipeline as the product defines it, written out independently of ``TRANSITIONS``.
FORWARD = {
    Stage.SOURCED: {Stage.CONTACTED, Stage.SCREEN},
    Stage.CONTACTED: {Stage.SCREEN},
    Stage.SCREEN: {Stage.TAKE_HOME, Stage.ONSITE},
    Stage.TAKE_HOME: {Stage.ONSITE},
    Stage.ONSITE: {Stage.DEBRIEF},
    Stage.DEBRIEF: {Stage.OFFER},
    Stage.OFFER: {Stage.HIRED},
}
OPEN_STAGES = list(FORWARD)
EXITS = {Stage.REJECTED, Stage.WITHDRAWN}
# How to reach each stage from ``sourced``, one legal step at a time.
PATH_TO = {
    Stage.SOURCED: [],
    Stage.CONTACTED: [Stage.CONTACTED],
    Stage.SCREEN: [Stage.SCREEN],
    Stage.TAKE_HOME: [Stage.SCREEN, Stage.TAKE_HOME],
    Stage.ONSITE: [Stage.SCREEN, Stage.ONSITE],
    Stage.DEBRIEF: [Stage.SCREEN, Stage.ONSITE, Stage.DEBRIEF],
    Stage.OFFER: [Stage.SCREEN, Stage.ONSITE, Stage.DEBRIEF, Stage.OFFER],
    Stage.HIRED: [Stage.SCREEN, Stage.ONSITE, Stage.DEBRIEF, Stage.OFFER, Stage.HIRED],
    Stage.REJECTED: [Stage.REJECTED],
    Stage.WITHDRAWN: [Stage.WITHDRAWN],
}


def application_at(stage: str) -> Application:
    """An application opened through the service and moved to ``stage`` legally."""
    application = application_create(candidate=CandidateFactory(), opening=OpeningFactory())
    for step in PATH_TO[stage]:
        application_transition(
            application=application,
            to_stage=step,
            rejection_reason=RejectionReason.OTHER if step == Stage.REJECTED else "",
        )
    return application


# --- allowed_next_stages ------------------------------------------------------------------------


@pytest.mark.parametrize("stage", OPEN_STAGES)
def test_an_open_stage_allows_its_forward_steps_and_both_exits(stage):
    assert allowed_next_stages(stage) == FORWARD[stage] | EXITS


@pytest.mark.parametrize("stage", [Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN])
def test_a_final_stage_allows_nothing(stage):
    assert stage in FINAL_STAGES
    assert allowed_next_stages(stage) == frozenset()


def test_every_stage_is_either_open_or_final():
    assert set(Stage.values) == set(OPEN_STAGES) | FINAL_STAGES


# --- application_create -------------------------------------------------------------------------


def test_create_opens_in_sourced_against_the_current_bars_and_records_the_first_move():
    # given a role profile at version 2 of its bars
    bar = RoleBarFactory(minimum_level=2)
    role_profile_publish_bars(role_profile=bar.role_profile)
    bar.minimum_level = 3
    bar.save()
    v2 = role_profile_publish_bars(role_profile=bar.role_profile)
    opening = OpeningFactory(role_profile=bar.role_profile)
    candidate, recruiter = CandidateFactory(), UserFactory()

    # when
    application = application_create(
        candidate=candidate, opening=opening, by=recruiter, reason="referred by Bo"
    )

    # then
    stored = Application.objects.get(pk=application.pk)
    assert (stored.candidate, stored.opening, stored.bar_version) == (candidate, opening, v2)
    assert (stored.stage, stored.rejection_reason, stored.created_by) == ("sourced", "", recruiter)
    assert stored.stage_changed_at is not None
    assert list(
        stored.history.values_list("from_stage", "to_stage", "reason", "rejection_reason", "actor")
    ) == [("", "sourced", "referred by Bo", "", recruiter.pk)]


def test_create_for_a_never_published_profile_publishes_version_one():
    # given
    bar = RoleBarFactory(minimum_level=3)
    opening = OpeningFactory(role_profile=bar.role_profile)

    # when
    application = application_create(
        candidate=CandidateFactory(), opening=opening, by=AnonymousUser()
    )

    # then
    assert application.bar_version.number == 1
    assert application.bar_version.bars[0]["minimum_level"] == 3
    assert application.created_by is None
    assert application.history.get().actor is None


@pytest.mark.parametrize("status", [Opening.Status.DRAFT, Opening.Status.ON_HOLD])
def test_openings_that_are_not_closed_take_applications(status):
    application = application_create(
        candidate=CandidateFactory(), opening=OpeningFactory(status=status)
    )
    assert application.stage == Stage.SOURCED


def test_a_closed_opening_takes_no_application_and_nothing_is_written(hiring_rows):
    # given an opening whose profile was never published (a refused call must not publish)
    opening = OpeningFactory(status=Opening.Status.CLOSED)
    RoleBarFactory(role_profile=opening.role_profile)
    candidate = CandidateFactory()
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        application_create(candidate=candidate, opening=opening)

    # then
    assert exc.value.message_dict == {"opening": ["This opening is closed."]}
    assert hiring_rows() == before
    assert not BarVersion.objects.filter(role_profile=opening.role_profile).exists()


def test_a_candidate_applies_once_per_opening(hiring_rows):
    # given
    candidate, opening = CandidateFactory(), OpeningFactory()
    application_create(candidate=candidate, opening=opening)
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        application_create(candidate=candidate, opening=opening)

    # then
    assert exc.value.message_dict == {"non_field_errors": [ALREADY_APPLIED]}
    assert hiring_rows() == before


def test_a_final_application_does_not_let_the_candidate_reapply_to_the_same_opening():
    # given a rejected application
    application = application_at(Stage.REJECTED)

    # when the candidate comes back for the same opening
    with pytest.raises(ValidationError) as exc:
        application_create(candidate=application.candidate, opening=application.opening)

    # then
    assert exc.value.message_dict == {"non_field_errors": [ALREADY_APPLIED]}


def test_the_same_candidate_may_apply_to_another_opening():
    # given
    candidate = CandidateFactory()
    application_create(candidate=candidate, opening=OpeningFactory())

    # when
    application_create(candidate=candidate, opening=OpeningFactory())

    # then
    assert Application.objects.filter(candidate=candidate).count() == 2


# --- application_transition ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("from_stage", "to_stage"),
    [(a, b) for a, targets in FORWARD.items() for b in sorted(targets | EXITS)],
)
def test_every_legal_move_is_made_and_recorded(from_stage, to_stage):
    # given
    application = application_at(from_stage)
    mover = UserFactory()
    reason = RejectionReason.BELOW_BAR if to_stage == Stage.REJECTED else ""
    before = application.stage_changed_at

    # when
    returned = application_transition(
        application=application, to_stage=to_stage, by=mover, reason="why", rejection_reason=reason
    )

    # then the row, the caller's instance and the history agree
    stored = Application.objects.get(pk=application.pk)
    assert returned is application
    assert (stored.stage, stored.rejection_reason) == (to_stage, reason)
    assert stored.stage_changed_at > before
    assert (application.stage, application.stage_changed_at) == (to_stage, stored.stage_changed_at)
    last = stored.history.last()
    assert last is not None
    assert (last.from_stage, last.to_stage, last.reason, last.rejection_reason, last.actor) == (
        from_stage,
        to_stage,
        "why",
        reason,
        mover,
    )


@pytest.mark.parametrize(
    ("from_stage", "to_stage"),
    [
        (Stage.SOURCED, Stage.OFFER),
        (Stage.SOURCED, Stage.HIRED),
        (Stage.SOURCED, Stage.SOURCED),
        (Stage.SCREEN, Stage.CONTACTED),
        (Stage.TAKE_HOME, Stage.DEBRIEF),
        (Stage.ONSITE, Stage.SCREEN),
        (Stage.OFFER, Stage.DEBRIEF),
    ],
)
def test_a_skip_a_repeat_or_a_step_back_is_refused_and_nothing_is_written(
    hiring_rows, from_stage, to_stage
):
    # given
    application = application_at(from_stage)
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        application_transition(application=application, to_stage=to_stage)

    # then the error says what is allowed
    allowed = ", ".join(sorted(FORWARD[from_stage] | EXITS))
    assert exc.value.message_dict == {
        "to_stage": [
            f"Cannot move from {Stage(from_stage).label} ({from_stage}) to "
            f"{Stage(to_stage).label} ({to_stage}); allowed: {allowed}."
        ]
    }
    assert hiring_rows() == before
    assert application.stage == from_stage


@pytest.mark.parametrize("final", [Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN])
@pytest.mark.parametrize("to_stage", [Stage.SOURCED, Stage.SCREEN, Stage.OFFER, Stage.WITHDRAWN])
def test_nothing_leaves_a_final_stage(hiring_rows, final, to_stage):
    # given
    application = application_at(final)
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        application_transition(application=application, to_stage=to_stage)

    # then
    assert exc.value.message_dict == {
        "to_stage": [
            f"Cannot move from {Stage(final).label} ({final}) to "
            f"{Stage(to_stage).label} ({to_stage}); allowed: none (final stage)."
        ]
    }
    assert hiring_rows() == before


def test_a_rejected_application_cannot_be_rejected_again():
    application = application_at(Stage.REJECTED)
    with pytest.raises(ValidationError) as exc:
        application_transition(
            application=application, to_stage=Stage.REJECTED, rejection_reason="other"
        )
    assert "to_stage" in exc.value.message_dict


def test_an_unknown_stage_is_refused(hiring_rows):
    # given
    application = application_at(Stage.SCREEN)
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        application_transition(application=application, to_stage="interview")

    # then
    assert exc.value.message_dict == {"to_stage": ['"interview" is not a stage.']}
    assert hiring_rows() == before


@pytest.mark.parametrize("rejection_reason", ["", "did_not_like_them"])
def test_a_rejection_needs_a_known_reason(hiring_rows, rejection_reason):
    # given
    application = application_at(Stage.SCREEN)
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        application_transition(
            application=application, to_stage=Stage.REJECTED, rejection_reason=rejection_reason
        )

    # then
    assert list(exc.value.message_dict) == ["rejection_reason"]
    assert "below_bar" in exc.value.message_dict["rejection_reason"][0]
    assert hiring_rows() == before


@pytest.mark.parametrize("to_stage", [Stage.ONSITE, Stage.WITHDRAWN])
def test_only_a_rejection_takes_a_rejection_reason(hiring_rows, to_stage):
    # given
    application = application_at(Stage.SCREEN)
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        application_transition(
            application=application, to_stage=to_stage, rejection_reason="below_bar"
        )

    # then
    assert exc.value.message_dict == {
        "rejection_reason": ["Only a rejection takes a rejection reason."]
    }
    assert hiring_rows() == before


def test_a_move_starts_from_the_stored_stage_not_from_a_stale_instance():
    # given two copies of one application, and a move made through the first
    application = application_at(Stage.SOURCED)
    stale = Application.objects.get(pk=application.pk)
    application_transition(application=application, to_stage=Stage.SCREEN)

    # when the stale copy (still "sourced") asks for a move only legal from sourced
    with pytest.raises(ValidationError) as exc:
        application_transition(application=stale, to_stage=Stage.CONTACTED)

    # then it is judged from the stored "screen"; a move legal from there succeeds and is recorded
    assert "Cannot move from Screen (screen) to Contacted (contacted)" in exc.value.messages[0]
    application_transition(application=stale, to_stage=Stage.ONSITE)
    assert stale.stage == Stage.ONSITE
    assert list(stale.history.values_list("from_stage", "to_stage")) == [
        ("", "sourced"),
        ("sourced", "screen"),
        ("screen", "onsite"),
    ]


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


# --- applications_transition_many ---------------------------------------------------------------


def test_many_moves_the_legal_ones_and_reports_the_others_by_id():
    # given one application that can go to screen and two that cannot
    movable = application_at(Stage.CONTACTED)
    hired = application_at(Stage.HIRED)
    at_offer = application_at(Stage.OFFER)
    mover = UserFactory()

    # when
    moved, errors = applications_transition_many(
        applications=[hired, movable, at_offer], to_stage=Stage.SCREEN, by=mover, reason="batch"
    )

    # then the refusals do not undo the legal move
    assert moved == [movable]
    assert Application.objects.get(pk=movable.pk).stage == Stage.SCREEN
    assert StageChange.objects.filter(application=movable).last().actor == mover
    assert errors == {
        hired.pk: [
            "Cannot move from Hired (hired) to Screen (screen); allowed: none (final stage)."
        ],
        at_offer.pk: [
            "Cannot move from Offer (offer) to Screen (screen); "
            "allowed: hired, rejected, withdrawn."
        ],
    }
    assert Application.objects.get(pk=hired.pk).stage == Stage.HIRED
    assert Application.objects.get(pk=at_offer.pk).stage == Stage.OFFER


def test_many_applies_the_rejection_rules_to_each_application():
    # given
    first, second = application_at(Stage.SCREEN), application_at(Stage.ONSITE)
    changes_before = StageChange.objects.count()

    # when a bulk rejection forgets the reason
    moved, errors = applications_transition_many(
        applications=[first, second], to_stage=Stage.REJECTED
    )

    # then nothing moves and each application says why
    assert moved == []
    assert set(errors) == {first.pk, second.pk}
    assert all("A rejection needs a reason" in errors[pk][0] for pk in errors)
    assert StageChange.objects.count() == changes_before


def test_many_with_no_applications_moves_nothing():
    assert applications_transition_many(applications=[], to_stage=Stage.SCREEN) == ([], {})
