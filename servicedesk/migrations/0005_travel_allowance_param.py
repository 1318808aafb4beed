"""R-W4 Decision: the travel allowance for jobs booked for later (a job booked for tomorrow
is not late today: its set-off deadline is the required time minus this allowance)."""
from datetime import date

from django.db import migrations


def seed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    RuleParameter.objects.get_or_create(
        name="sla.travel_allowance_minutes",
        effective_from=date(2000, 1, 1),
        defaults=dict(
            kind="integer",
            value=30,
            unit="分钟",
            rule="R-W4",
            description="预约上门:出发时限 = 要求到达时间 − 路程预留(决定)",
            note="R-W4 决定",
        ),
    )


def unseed(apps, schema_editor):
    apps.get_model("servicedesk", "RuleParameter").objects.filter(name="sla.travel_allowance_minutes").delete()


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0004_notifications")]
    operations = [migrations.RunPython(seed, unseed)]
