"""Rule 7: penalty, decision and dismissal-flag reasons become messages read in the reader's language.

Existing rows keep their words: the old text is copied as a plain JSON string, which renders as written
(servicedesk.texts: legacy text), in the language it was written in.
"""
from django.db import migrations, models

MODELS = ["penalty", "penaltydecision", "dismissalflag"]


def copy_text(apps, schema_editor):
    for name in MODELS:
        Model = apps.get_model("penalties", name)
        rows = list(Model.objects.only("pk", "reason"))
        for row in rows:
            row.reason_message = row.reason or ""
        Model.objects.bulk_update(rows, ["reason_message"], batch_size=500)


def copy_back(apps, schema_editor):
    from servicedesk.texts import render

    for name in MODELS:
        Model = apps.get_model("penalties", name)
        rows = list(Model.objects.only("pk", "reason_message"))
        for row in rows:
            row.reason = render(row.reason_message, language="zh-hans")
        Model.objects.bulk_update(rows, ["reason"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("penalties", "0004_p8_failed_supervision")]

    operations = [
        migrations.AddField("penalty", "reason_message", models.JSONField(default=str, verbose_name="原因")),
        migrations.AddField(
            "penaltydecision", "reason_message", models.JSONField(blank=True, default=str, verbose_name="说明")
        ),
        migrations.AddField("dismissalflag", "reason_message", models.JSONField(default=str, verbose_name="原因")),
        migrations.RunPython(copy_text, copy_back),
        migrations.RemoveField("penalty", "reason"),
        migrations.RemoveField("penaltydecision", "reason"),
        migrations.RemoveField("dismissalflag", "reason"),
        migrations.RenameField("penalty", "reason_message", "reason"),
        migrations.RenameField("penaltydecision", "reason_message", "reason"),
        migrations.RenameField("dismissalflag", "reason_message", "reason"),
    ]
