"""Paper removals counted (PostgreSQL only): the trigger that makes a paper's deletion, or a
change of its id, wait for the people lock (0009) now also counts the statement in
``PaperRemovals``, and fires for ``TRUNCATE`` as well.

A two-pass import reads the count before its first pass; a chunk of its second pass, holding
the people lock, reads it again: unchanged, no paper the first pass wrote or found can have gone
(a removal waits for the lock, and counts in its own transaction, so one that committed before
the chunk took the lock is seen), and the chunk skips looking its papers up (0.55 s of
PostgreSQL's time at 100,000 records, 2.8 s at 800,000). Changed, it looks them up as before."""

from typing import Any

from django.db import migrations, models

# sourcing.people.generation.PEOPLE_LOCK_KEY, as it was when this was written (a test holds
# the two equal).
PEOPLE_LOCK_KEY = 7_304_221
_FUNCTION = "sourcing_paper_waits_for_people_lock"


def _trigger(apps: Any, schema_editor: Any, *, count: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    table = quote(apps.get_model("sourcing", "Paper")._meta.db_table)
    removals = quote(apps.get_model("sourcing", "PaperRemovals")._meta.db_table)
    counted = (
        f"INSERT INTO {removals} (id, value) VALUES (1, 1) "
        f"ON CONFLICT (id) DO UPDATE SET value = {removals}.value + 1; "
        if count
        else ""
    )
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM pg_advisory_xact_lock({PEOPLE_LOCK_KEY}); {counted}RETURN NULL; END $$"
    )
    if count:  # the row the trigger counts in, there from the start
        schema_editor.execute(
            f"INSERT INTO {removals} (id, value) VALUES (1, 0) ON CONFLICT (id) DO NOTHING"
        )
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {_FUNCTION} ON {table}")
    events = "DELETE OR UPDATE OF id OR TRUNCATE" if count else "DELETE OR UPDATE OF id"
    schema_editor.execute(
        f"CREATE TRIGGER {_FUNCTION} BEFORE {events} ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
    )


def _count(apps: Any, schema_editor: Any) -> None:
    _trigger(apps, schema_editor, count=True)


def _uncount(apps: Any, schema_editor: Any) -> None:
    _trigger(apps, schema_editor, count=False)


class Migration(migrations.Migration):
    dependencies = [("sourcing", "0009_paper_changes_wait_for_people_lock")]

    operations = [
        migrations.CreateModel(
            name="PaperRemovals",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.PositiveBigIntegerField(default=0)),
            ],
            options={"verbose_name_plural": "paper removals"},
        ),
        migrations.RunPython(_count, _uncount),
    ]
