"""The seed data migration is reversible and idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from interviews.models import DebuggingTask, InterviewKit, TakeHomeTemplate

# Migrating needs real commits (SQLite cannot change schema state inside the test transaction);
# serialized_rollback puts the seeded rows back for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def counts() -> tuple[int, int, int]:
    return (
        InterviewKit.objects.count(),
        TakeHomeTemplate.objects.count(),
        DebuggingTask.objects.count(),
    )


def test_seed_migration_reverses_and_reapplies_to_the_same_rows():
    seeded = counts()
    assert seeded == (26, 2, 7)
    call_command("migrate", "interviews", "0001", verbosity=0)
    assert counts() == (0, 0, 0)
    call_command("migrate", "interviews", verbosity=0)
    assert counts() == seeded
