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


def people_lock() -> None:
    """Hold the people lock until the caller's transaction ends (PostgreSQL; SQLite serialises
    writers anyway). Import batches take it before deciding or writing people, and merges,
    splits and their undoing before changing them, so neither acts on the other's half-done
    work."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PEOPLE_LOCK_KEY])


def people_generation() -> int:
    value = PeopleGeneration.objects.filter(pk=_ROW).values_list("value", flat=True).first()
    return value or 0


def people_generation_bump() -> int:
    """Increment the counter (creating its row the first time); returns the new value. The
    row stays locked by the caller's transaction until it ends."""
    if not PeopleGeneration.objects.filter(pk=_ROW).update(value=F("value") + 1):
        PeopleGeneration.objects.get_or_create(pk=_ROW)
        PeopleGeneration.objects.filter(pk=_ROW).update(value=F("value") + 1)
    return people_generation()
