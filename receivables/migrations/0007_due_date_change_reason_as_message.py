"""A due date change's reason is stored as a message (servicedesk.texts) and read in the reader's language (rule 7).

Rows written before keep their finished sentence as a plain JSON string, which renders as written.
"""
from django.db import migrations, models


def keep_sentences(apps, schema_editor):
    DueDateChange = apps.get_model("receivables", "DueDateChange")
    for row in DueDateChange.objects.only("pk", "reason").iterator():
        DueDateChange.objects.filter(pk=row.pk).update(reason_msg=row.reason or "")


def back_to_sentences(apps, schema_editor):
    from servicedesk.texts import render

    DueDateChange = apps.get_model("receivables", "DueDateChange")
    for row in DueDateChange.objects.only("pk", "reason_msg").iterator():
        DueDateChange.objects.filter(pk=row.pk).update(reason=render(row.reason_msg)[:200])


class Migration(migrations.Migration):
    dependencies = [("receivables", "0006_job_language")]

    operations = [
        migrations.AddField("duedatechange", "reason_msg", models.JSONField(default=str, verbose_name="原因")),
        migrations.RunPython(keep_sentences, back_to_sentences),
        migrations.RemoveField("duedatechange", "reason"),
        migrations.RenameField("duedatechange", "reason_msg", "reason"),
    ]
