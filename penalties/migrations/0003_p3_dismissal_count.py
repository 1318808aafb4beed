"""P3 (R-N2): the confirmed P3 count that raises the dismissal flag ("第二次" = 2), a parameter instead of a literal."""
from datetime import date

from django.db import migrations

NAME = "penalty.P3_dismissal_count"


def seed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    RuleParameter.objects.get_or_create(
        name=NAME,
        effective_from=date(2000, 1, 1),
        defaults=dict(
            kind="integer",
            value=2,
            unit="次",
            rule="P3",
            description="服务单与实际工作不符:第几次确认时提出辞退标记",
        ),
    )


def unseed(apps, schema_editor):
    apps.get_model("servicedesk", "RuleParameter").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("penalties", "0002_recorded_offence")]
    operations = [migrations.RunPython(seed, unseed)]
