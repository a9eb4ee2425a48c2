"""``hiring.services.role_profiles``: bars are published as numbered, immutable versions, and an
application keeps the version it was opened with."""

import pytest
from django.contrib.auth.models import AnonymousUser

from hiring.models import BarVersion
from hiring.services import (
    application_create,
    role_profile_current_bar_version,
    role_profile_publish_bars,
)
from tests.hiring.factories import (
    CandidateFactory,
    CompetencyFactory,
    OpeningFactory,
    RoleBarFactory,
    RoleProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_first_publish_freezes_the_bars_in_display_order_as_version_one():
    # given a profile whose bars were added out of display order, one with a strength to validate
    profile = RoleProfileFactory()
    RoleBarFactory(
        role_profile=profile,
        competency=CompetencyFactory(slug="aa-last", name="Last", display_order=2),
        minimum_level=3,
        strength_level=4,
    )
    RoleBarFactory(
        role_profile=profile,
        competency=CompetencyFactory(slug="zz-tie", name="Tie Z", display_order=1),
        minimum_level=1,
    )
    RoleBarFactory(
        role_profile=profile,
        competency=CompetencyFactory(slug="yy-tie", name="Tie Y", display_order=1),
        minimum_level=2,
    )
    author = UserFactory()

    # when
    version = role_profile_publish_bars(role_profile=profile, by=author)

    # then display order decides, the slug breaks ties, and the author is recorded
    version.refresh_from_db()
    assert version.number == 1
    assert version.created_by == author
    assert version.bars == [
        {"competency": "yy-tie", "name": "Tie Y", "minimum_level": 2, "strength_level": None},
        {"competency": "zz-tie", "name": "Tie Z", "minimum_level": 1, "strength_level": None},
        {"competency": "aa-last", "name": "Last", "minimum_level": 3, "strength_level": 4},
    ]


def test_publishing_unchanged_bars_returns_the_latest_version_without_a_new_row():
    # given a published profile
    bar = RoleBarFactory(minimum_level=2)
    first = role_profile_publish_bars(role_profile=bar.role_profile)

    # when it is published again with nothing edited (the admin does this after every save)
    again = role_profile_publish_bars(role_profile=bar.role_profile, by=UserFactory())

    # then
    assert again == first
    assert BarVersion.objects.filter(role_profile=bar.role_profile).count() == 1


def test_each_edit_publishes_the_next_number_and_leaves_earlier_versions_as_they_were():
    # given version 1 with a minimum of 2
    bar = RoleBarFactory(minimum_level=2)
    v1 = role_profile_publish_bars(role_profile=bar.role_profile)

    # when the minimum is raised, then a strength is added
    bar.minimum_level = 3
    bar.save()
    v2 = role_profile_publish_bars(role_profile=bar.role_profile)
    bar.strength_level = 4
    bar.save()
    v3 = role_profile_publish_bars(role_profile=bar.role_profile)

    # then each edit is its own version and version 1 still says 2
    assert [v1.number, v2.number, v3.number] == [1, 2, 3]
    v1.refresh_from_db()
    assert v1.bars[0]["minimum_level"] == 2
    assert (v3.bars[0]["minimum_level"], v3.bars[0]["strength_level"]) == (3, 4)


def test_an_anonymous_publisher_is_recorded_as_nobody():
    # given
    bar = RoleBarFactory()

    # when
    version = role_profile_publish_bars(role_profile=bar.role_profile, by=AnonymousUser())

    # then
    version.refresh_from_db()
    assert version.created_by is None


def test_versions_are_numbered_per_profile():
    # given another profile already at version 2
    other = RoleBarFactory(minimum_level=2)
    role_profile_publish_bars(role_profile=other.role_profile)
    other.minimum_level = 3
    other.save()
    role_profile_publish_bars(role_profile=other.role_profile)
    bar = RoleBarFactory()

    # when
    version = role_profile_publish_bars(role_profile=bar.role_profile)

    # then this profile starts at 1, with only its own bars
    assert version.number == 1
    assert [b["competency"] for b in version.bars] == [bar.competency.slug]


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
    later = application_create(candidate=CandidateFactory(), opening=opening)
    assert later.bar_version == v2


def test_current_version_of_a_never_published_profile_publishes_version_one():
    # given a profile with bars and no version
    bar = RoleBarFactory(minimum_level=3)
    assert not BarVersion.objects.filter(role_profile=bar.role_profile).exists()

    # when
    current = role_profile_current_bar_version(role_profile=bar.role_profile)

    # then it was written, so the next call finds the same row
    assert current.number == 1
    assert current.bars[0]["minimum_level"] == 3
    assert role_profile_current_bar_version(role_profile=bar.role_profile) == current
    assert BarVersion.objects.filter(role_profile=bar.role_profile).count() == 1


def test_current_version_is_the_latest_published_not_the_bars_being_edited():
    # given version 1, then an edit nobody has published yet
    bar = RoleBarFactory(minimum_level=2)
    v1 = role_profile_publish_bars(role_profile=bar.role_profile)
    bar.minimum_level = 4
    bar.save()

    # when
    current = role_profile_current_bar_version(role_profile=bar.role_profile)

    # then an unpublished edit does not reach applications
    assert current == v1
    assert current.bars[0]["minimum_level"] == 2
    assert BarVersion.objects.filter(role_profile=bar.role_profile).count() == 1
