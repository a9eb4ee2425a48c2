"""Sourcing runs share the run lifecycle of ``core.runs`` with re-implementation runs: who asked
for a run is ``requested_by`` on both."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sourcing", "0004_person_fillfactor"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name="sourcingrun", old_name="started_by", new_name="requested_by"
        ),
        migrations.AlterField(
            model_name="sourcingrun",
            name="heartbeat_at",
            field=models.DateTimeField(
                blank=True, help_text="Last sign of life from the worker running it.", null=True
            ),
        ),
    ]
