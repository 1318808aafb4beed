"""R-T1, the monthly targets of the handbook (服务部管理制度): every field technician resolves at least 45 client
problems and visits at least 15 clients a month. The monthly report shows these targets against the actual figures."""
from datetime import date

from django.db import migrations

PARAMS = [
    ("report.target_resolutions", 45, "家次", "每位技术员每月至少解决的客户问题家次(月报目标,R-T1)"),
    ("report.target_visits", 15, "家次", "每位技术员每月至少拜访的客户家次(月报目标,R-T1)"),
]


def seed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    for name, value, unit, description in PARAMS:
        RuleParameter.objects.get_or_create(
            name=name,
            effective_from=date(2000, 1, 1),
            defaults=dict(kind="integer", value=value, unit=unit, rule="R-T1", description=description, note="R-T1 岗位职责"),
        )


def unseed(apps, schema_editor):
    apps.get_model("servicedesk", "RuleParameter").objects.filter(
        name__in=[p[0] for p in PARAMS], effective_from=date(2000, 1, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("servicedesk", "0002_seed_rule_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
