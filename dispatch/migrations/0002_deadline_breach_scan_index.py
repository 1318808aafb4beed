from django.db import migrations, models


class Migration(migrations.Migration):
    """Partial index for the every-minute R-W7 breach scan (docs/developers.md rule 3): only rows that can still breach."""

    dependencies = [("dispatch", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(("breached_at__isnull", True), ("cancelled_at__isnull", True))
                & (models.Q(("met_at__isnull", True)) | models.Q(("met_at__gt", models.F("due_at")))),
                fields=["due_at"],
                name="deadline_breach_scan",
            ),
        ),
    ]
