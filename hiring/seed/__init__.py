"""The content a fresh Hirebar database starts with: the nine competencies with their 1-4 rubrics,
the five ML role profiles and the interview stages their loops are made of. Written from the
domain notes in ``shared/seeds`` (chiefly Full Stack Deep Learning 2022, lecture 8).

Plain data, no ORM: migration ``hiring/0002_seed_role_profiles`` holds a frozen copy of it, so
editing these modules changes what a *new* data migration should load, never what 0002 did. The
test ``tests/hiring/test_seed.py`` compares a migrated database with this package and fails until
such a migration exists."""

from hiring.seed.competencies import COMPETENCIES, COMPETENCY_SLUGS
from hiring.seed.interview_stages import INTERVIEW_STAGE_SLUGS, INTERVIEW_STAGES
from hiring.seed.role_profiles import ROLE_PROFILE_SLUGS, ROLE_PROFILES

__all__ = [
    "COMPETENCIES",
    "COMPETENCY_SLUGS",
    "INTERVIEW_STAGES",
    "INTERVIEW_STAGE_SLUGS",
    "ROLE_PROFILES",
    "ROLE_PROFILE_SLUGS",
]
