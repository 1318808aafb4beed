"""Rule 7: a work order's history note holds either the words a person typed or a message a service composed
(read in the reader's language). Every existing note is kept word for word as a plain string: it renders as it
was written (a generated sentence written before stays in the language it was written in)."""
from django.db import migrations, models


def copy_notes(apps, schema_editor):
    Event = apps.get_model("servicedesk", "WorkOrderEvent")
    batch = []
    for row in Event.objects.exclude(note="").only("pk", "note").iterator(chunk_size=2000):
        row.note_words = row.note
        batch.append(row)
        if len(batch) >= 2000:
            Event.objects.bulk_update(batch, ["note_words"])
            batch = []
    if batch:
        Event.objects.bulk_update(batch, ["note_words"])


def copy_back(apps, schema_editor):
    from servicedesk.texts import render

    Event = apps.get_model("servicedesk", "WorkOrderEvent")
    for row in Event.objects.only("pk", "note_words").iterator(chunk_size=2000):
        text = render(row.note_words)
        if text:
            Event.objects.filter(pk=row.pk).update(note=text[:2000])


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0011_notification_message")]

    operations = [
        migrations.AddField(
            model_name="workorderevent", name="note_words", field=models.JSONField(blank=True, default=str, verbose_name="说明"),
        ),
        migrations.RunPython(copy_notes, copy_back),
        migrations.RemoveField(model_name="workorderevent", name="note"),
        migrations.RenameField(model_name="workorderevent", old_name="note_words", new_name="note"),
    ]
