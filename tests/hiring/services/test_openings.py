"""``hiring.services.openings``: openings are created for active role profiles only, validated
before they are written, and never move to another role profile."""

import pytest
from django.core.exceptions import ValidationError

from hiring.models import Opening
from hiring.services import opening_create, opening_update
from tests.hiring.factories import OpeningFactory, RoleProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_stores_the_fields_trims_the_title_and_records_the_author():
    # given
    profile = RoleProfileFactory()
    manager, author = UserFactory(), UserFactory()

    # when
    opening = opening_create(
        role_profile=profile,
        fields={
            "title": "  Senior ML engineer  ",
            "level": Opening.Level.SENIOR,
            "team": "Ranking",
            "headcount": 2,
            "hiring_manager": manager,
            "status": Opening.Status.DRAFT,
        },
        by=author,
    )

    # then
    stored = Opening.objects.get(pk=opening.pk)
    assert stored.role_profile == profile
    assert (stored.title, stored.level, stored.team, stored.headcount, stored.status) == (
        "Senior ML engineer",
        "senior",
        "Ranking",
        2,
        "draft",
    )
    assert (stored.hiring_manager, stored.created_by, stored.updated_by) == (
        manager,
        author,
        author,
    )


def test_create_fills_what_is_not_given_with_the_model_defaults():
    # when
    opening = opening_create(role_profile=RoleProfileFactory(), fields={"title": "ML engineer"})

    # then
    stored = Opening.objects.get(pk=opening.pk)
    assert (stored.level, stored.headcount, stored.status, stored.team) == ("mid", 1, "open", "")
    assert stored.created_by is None


def test_create_for_a_retired_role_profile_is_refused_and_writes_nothing(hiring_rows):
    # given
    profile = RoleProfileFactory(is_active=False)
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        opening_create(role_profile=profile, fields={"title": "ML engineer"})

    # then
    assert exc.value.message_dict == {"role": ["This role profile is retired."]}
    assert hiring_rows() == before


@pytest.mark.parametrize("field", ["role_profile", "created_by", "colour"])
def test_create_refuses_fields_outside_the_opening_fields(hiring_rows, field):
    # given
    profile = RoleProfileFactory()
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        opening_create(role_profile=profile, fields={"title": "ML engineer", field: None})

    # then
    assert exc.value.message_dict == {field: ["Unknown field."]}
    assert hiring_rows() == before


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ML engineer", "headcount": 0}, "headcount"),
        ({"title": "ML engineer", "level": "intern"}, "level"),
        ({"title": "ML engineer", "status": "archived"}, "status"),
    ],
)
def test_create_with_invalid_values_is_a_field_error_and_writes_nothing(
    hiring_rows, fields, error_field
):
    # given
    profile = RoleProfileFactory()
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        opening_create(role_profile=profile, fields=fields)

    # then
    assert set(exc.value.message_dict) == {error_field}
    assert hiring_rows() == before


def test_update_changes_only_the_given_fields():
    # given an opening whose team someone else changed after we loaded it
    opening = OpeningFactory(team="Ranking", headcount=1)
    Opening.objects.filter(pk=opening.pk).update(team="Search")
    editor = UserFactory()

    # when our edit touches the title and headcount only
    returned = opening_update(
        opening=opening, fields={"title": " Staff ML engineer ", "headcount": 3}, by=editor
    )

    # then their team survives, ours is written, and the editor is recorded
    stored = Opening.objects.get(pk=opening.pk)
    assert returned is opening
    assert (stored.title, stored.headcount, stored.team) == ("Staff ML engineer", 3, "Search")
    assert stored.updated_by == editor
    assert stored.updated_at > stored.created_at


def test_update_never_moves_an_opening_to_another_role_profile(hiring_rows):
    # given
    opening, other_profile = OpeningFactory(), RoleProfileFactory()
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        opening_update(opening=opening, fields={"role_profile": other_profile})

    # then
    assert exc.value.message_dict == {"role_profile": ["Unknown field."]}
    assert hiring_rows() == before


def test_update_with_an_invalid_value_leaves_the_row_as_it_was(hiring_rows):
    # given
    opening = OpeningFactory(headcount=2)
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        opening_update(opening=opening, fields={"headcount": 0, "team": "Search"})

    # then
    assert set(exc.value.message_dict) == {"headcount"}
    assert hiring_rows() == before


def test_update_of_a_retired_profiles_opening_is_still_allowed():
    # given an opening whose role profile was retired after it opened
    opening = OpeningFactory()
    opening.role_profile.is_active = False
    opening.role_profile.save()

    # when it is closed
    opening_update(opening=opening, fields={"status": Opening.Status.CLOSED})

    # then
    assert Opening.objects.get(pk=opening.pk).status == "closed"
