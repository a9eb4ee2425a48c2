"""The people generation: a counter bumped, inside the writer's own transaction, by everything
that changes people (imports, merges, splits and their undoing). An import that keeps people in
memory across batches (``sourcing.people.cache``) compares it with the value it last saw.

Being a row updated in the writer's transaction, a bump is visible exactly when the change is,
and is rolled back with it."""

from __future__ import annotations

from django.db import connection
from django.db.models import F

from sourcing.models import PeopleGeneration

_ROW = 1
# One arbitrary constant: the PostgreSQL advisory lock serialising changes to people.
PEOPLE_LOCK_KEY = 7_304_221


def people_lock(*, fast_commit: bool = False) -> None:
    """Hold the people lock until the caller's transaction ends (PostgreSQL; SQLite serialises
    writers anyway). Import batches take it before deciding or writing people, and merges,
    splits and their undoing before changing them, so neither acts on the other's half-done
    work. ``fast_commit``: the transaction's commit will not wait for the WAL flush (set in the
    same round trip)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if fast_commit:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s), "
                    "set_config('synchronous_commit', 'off', true)",
                    [PEOPLE_LOCK_KEY],
                )
            else:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PEOPLE_LOCK_KEY])


def people_generation() -> int:
    value = PeopleGeneration.objects.filter(pk=_ROW).values_list("value", flat=True).first()
    return value or 0


def people_generation_bump() -> int:
    """Increment the counter (creating its row the first time); returns the new value. The
    row stays locked by the caller's transaction until it ends."""
    if connection.vendor == "postgresql":  # one round trip: every import batch bumps it
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {PeopleGeneration._meta.db_table} SET value = value + 1 "  # noqa: S608
                "WHERE id = %s RETURNING value",
                [_ROW],
            )
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
    if not PeopleGeneration.objects.filter(pk=_ROW).update(value=F("value") + 1):
        PeopleGeneration.objects.get_or_create(pk=_ROW)
        PeopleGeneration.objects.filter(pk=_ROW).update(value=F("value") + 1)
    return people_generation()
