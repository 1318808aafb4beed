"""R-N1 Decision: a penalty is not decided by an account the person concerned created, or
granted a role to, within this many days (closes the "second manager account" hole)."""
from datetime import date

from django.db import migrations


def seed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    RuleParameter.objects.get_or_create(
        name="security.grantor_conflict_days",
        effective_from=date(2000, 1, 1),
        defaults=dict(
            kind="integer",
            value=31,
            unit="天",
            rule="R-N1",
            description="处罚不得由当事人在此天数内创建或授予角色的账号处理(决定)",
            note="R-N1 决定",
        ),
    )


def unseed(apps, schema_editor):
    apps.get_model("servicedesk", "RuleParameter").objects.filter(name="security.grantor_conflict_days").delete()


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0006_role_change_audit")]
    operations = [migrations.RunPython(seed, unseed)]
