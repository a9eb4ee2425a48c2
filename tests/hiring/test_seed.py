"""The seeded content: what migration 0002 leaves in a fresh database, and the rules the seed
data itself must keep (every competency barred, strengths above minimums, known stage slugs)."""

import importlib

import pytest
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from hiring import seed
from hiring.models import BarVersion, Competency, RoleBar, RoleProfile
from hiring.services import _bars_snapshot, role_profile_publish_bars

pytestmark = pytest.mark.django_db

FIXED_COMPETENCIES = {
    "ml-knowledge",
    "software-engineering",
    "research-creativity",
    "production-mlops",
    "data-engineering",
    "math-statistics",
    "communication",
    "product-sense",
    "analytics-sql",
}
FIXED_PROFILES = {
    "ml-engineer",
    "ml-researcher",
    "mlops-engineer",
    "ml-product-manager",
    "data-scientist",
}


def test_migrations_leave_five_profiles_with_a_bar_for_every_competency():
    # given a freshly migrated database (pytest-django runs all migrations)
    # then the fixed vocabulary exists and every profile bars all nine competencies
    assert set(Competency.objects.values_list("slug", flat=True)) >= FIXED_COMPETENCIES
    profiles = RoleProfile.objects.filter(slug__in=FIXED_PROFILES)
    assert profiles.count() == 5
    for profile in profiles:
        barred = set(profile.bars.values_list("competency__slug", flat=True))
        assert barred == FIXED_COMPETENCIES, profile.slug


def test_each_profile_has_version_one_equal_to_the_service_snapshot():
    for profile in RoleProfile.objects.filter(slug__in=FIXED_PROFILES):
        # when
        version = profile.bar_versions.get()
        # then the migration wrote what the service would have, so publishing again is a no-op
        assert version.number == 1
        assert version.bars == _bars_snapshot(profile)
        assert role_profile_publish_bars(role_profile=profile) == version
    assert BarVersion.objects.filter(role_profile__slug__in=FIXED_PROFILES).count() == 5


def test_database_content_matches_the_seed_package():
    # Fails when hiring/seed is edited without a data migration that loads the edit.
    for row in seed.COMPETENCIES:
        competency = Competency.objects.get(slug=row["slug"])
        assert {key: getattr(competency, key) for key in row} == row
    for profile_row in seed.ROLE_PROFILES:
        profile = RoleProfile.objects.get(slug=profile_row["slug"])
        for key in ("title", "summary", "delivers", "typical_background"):
            assert getattr(profile, key) == profile_row[key]
        assert profile.sourcing_categories == profile_row["sourcing_categories"]
        assert profile.sourcing_keywords == profile_row["sourcing_keywords"]
        assert profile.interview_loop == profile_row["interview_loop"]
        bars = {
            bar.competency.slug: (bar.minimum_level, bar.strength_level)
            for bar in RoleBar.objects.filter(role_profile=profile).select_related("competency")
        }
        assert bars == {
            slug: (minimum, profile_row["strengths"].get(slug))
            for slug, minimum in profile_row["minimum_levels"].items()
        }


def test_seed_data_keeps_its_own_rules():
    assert set(seed.COMPETENCY_SLUGS) == FIXED_COMPETENCIES
    assert set(seed.ROLE_PROFILE_SLUGS) == FIXED_PROFILES
    for competency in seed.COMPETENCIES:
        rubric = [competency[f"level_{n}"] for n in (1, 2, 3, 4)]
        assert all(rubric), competency["slug"]
        assert len(set(rubric)) == 4, competency["slug"]
    for profile in seed.ROLE_PROFILES:
        assert set(profile["minimum_levels"]) == FIXED_COMPETENCIES, profile["slug"]
        assert all(1 <= level <= 4 for level in profile["minimum_levels"].values())
        assert profile["strengths"], profile["slug"]
        for slug, expected in profile["strengths"].items():
            assert profile["minimum_levels"][slug] <= expected <= 4, (profile["slug"], slug)
        assert profile["interview_loop"][0] == "screen"
        assert set(profile["interview_loop"]) <= set(seed.INTERVIEW_STAGE_SLUGS)
        assert len(profile["interview_loop"]) == len(set(profile["interview_loop"]))


def test_the_researcher_profile_follows_the_lecture():
    # "ensure ML researchers can think creatively ... while ensuring they meet a baseline for
    # code quality"
    researcher = next(p for p in seed.ROLE_PROFILES if p["slug"] == "ml-researcher")
    assert researcher["strengths"]["research-creativity"] == 4
    assert researcher["strengths"]["ml-knowledge"] == 4
    assert researcher["minimum_levels"]["software-engineering"] == 2
    assert {"cs.LG", "stat.ML"} <= set(researcher["sourcing_categories"])


class _Undo(Exception):
    """Rolls the savepoint of the reverse/forward round trip back."""


def test_reverse_removes_what_the_migration_created_and_forward_restores_it():
    # given the models exactly as migration 0002 sees them. Migrating hiring back to 0001 first
    # unapplies the other apps' migrations that depend on 0002 (e.g. interview kits), whose rows
    # reference these; the savepoint below plays that part by never letting the deferred foreign
    # keys of those rows be checked.
    migration = importlib.import_module("hiring.migrations.0002_seed_role_profiles")
    state = MigrationLoader(connection).project_state(("hiring", "0002_seed_role_profiles"))
    historical = state.apps
    Profile = historical.get_model("hiring", "RoleProfile")
    HistoricalCompetency = historical.get_model("hiring", "Competency")
    Version = historical.get_model("hiring", "BarVersion")
    before = sorted(Version.objects.values_list("role_profile__slug", "bars"))

    # The assertions run inside the transaction the raise then rolls back.
    with pytest.raises(_Undo), transaction.atomic():  # noqa: PT012
        # when the migration is reversed
        migration.unseed(historical, None)

        # then nothing it created is left
        assert not Profile.objects.filter(slug__in=FIXED_PROFILES).exists()
        assert not HistoricalCompetency.objects.filter(slug__in=FIXED_COMPETENCIES).exists()
        assert not Version.objects.exists()

        # and applying it again reproduces the same versions
        migration.seed(historical, None)
        assert sorted(Version.objects.values_list("role_profile__slug", "bars")) == before
        raise _Undo
