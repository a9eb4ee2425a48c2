"""A paper's deletion, or a change of its id, waits for the people lock (PostgreSQL only).

Imports write authorships holding the people lock, and check set-wise that the papers those
reference exist, without locking each paper as PostgreSQL's foreign-key trigger does
(``sourcing.store.bulk``): that lock, taken again for every chunk of a large import, was its
biggest single cost (each one a write to a page of a table far larger than memory). What the
lock guarantees still holds: a paper cannot go between the import's check and its commit,
since its deletion waits here for the people lock; and once the import has committed, the
deletion's own foreign-key check sees the new authorships and fails, as it would have after
waiting for the row lock. A statement-level trigger: one wait per statement, whatever it
deletes."""

from typing import Any

from django.db import migrations

# sourcing.people.generation.PEOPLE_LOCK_KEY, as it was when this was written (a test holds
# the two equal).
PEOPLE_LOCK_KEY = 7_304_221
_FUNCTION = "sourcing_paper_waits_for_people_lock"


def _create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("sourcing", "Paper")._meta.db_table)
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM pg_advisory_xact_lock({PEOPLE_LOCK_KEY}); RETURN NULL; END $$"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {_FUNCTION} BEFORE DELETE OR UPDATE OF id ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
    )


def _drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("sourcing", "Paper")._meta.db_table)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {_FUNCTION} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [("sourcing", "0008_sourcingrun_suppressed_count")]

    operations = [migrations.RunPython(_create, _drop)]
