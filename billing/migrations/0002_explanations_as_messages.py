"""Pricing explanations are stored as messages (servicedesk.texts) and rendered in the reader's language (rule 7).

Rows recorded before keep their finished Chinese sentence as a plain JSON string, which renders as written.
"""
from django.db import migrations, models


def keep_sentences(apps, schema_editor):
    VisitCharge = apps.get_model("billing", "VisitCharge")
    ChargeLine = apps.get_model("billing", "ChargeLine")
    for charge in VisitCharge.objects.only("pk", "onsite_fee_explanation").iterator():
        VisitCharge.objects.filter(pk=charge.pk).update(onsite_fee_explanation_msg=charge.onsite_fee_explanation or "")
    for line in ChargeLine.objects.only("pk", "explanation").iterator():
        ChargeLine.objects.filter(pk=line.pk).update(explanation_msg=line.explanation or "")


def back_to_sentences(apps, schema_editor):
    from servicedesk.texts import render

    VisitCharge = apps.get_model("billing", "VisitCharge")
    ChargeLine = apps.get_model("billing", "ChargeLine")
    for charge in VisitCharge.objects.only("pk", "onsite_fee_explanation_msg").iterator():
        VisitCharge.objects.filter(pk=charge.pk).update(onsite_fee_explanation=render(charge.onsite_fee_explanation_msg))
    for line in ChargeLine.objects.only("pk", "explanation_msg").iterator():
        ChargeLine.objects.filter(pk=line.pk).update(explanation=render(line.explanation_msg))


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [
        migrations.AddField("visitcharge", "onsite_fee_explanation_msg",
                            models.JSONField(blank=True, default=str, verbose_name="上门费说明")),
        migrations.AddField("chargeline", "explanation_msg", models.JSONField(default=str, verbose_name="说明")),
        migrations.RunPython(keep_sentences, back_to_sentences),
        migrations.RemoveField("visitcharge", "onsite_fee_explanation"),
        migrations.RemoveField("chargeline", "explanation"),
        migrations.RenameField("visitcharge", "onsite_fee_explanation_msg", "onsite_fee_explanation"),
        migrations.RenameField("chargeline", "explanation_msg", "explanation"),
    ]
