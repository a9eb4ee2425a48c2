"""Re-implementation runs share the run lifecycle of ``core.runs``: the worker's sign of life is
``heartbeat_at`` (set by the lifecycle, no longer by every save), and a run can be cancelled."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sourcing_github", "0001_initial")]

    operations = [
        migrations.RenameField(
            model_name="implementationrun", old_name="updated_at", new_name="heartbeat_at"
        ),
        migrations.AlterField(
            model_name="implementationrun",
            name="heartbeat_at",
            field=models.DateTimeField(
                blank=True, help_text="Last sign of life from the worker running it.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="implementationrun",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Running"),
                    ("succeeded", "Succeeded"),
                    ("failed", "Failed"),
                    ("cancelled", "Cancelled"),
                ],
                default="queued",
                max_length=16,
            ),
        ),
    ]
