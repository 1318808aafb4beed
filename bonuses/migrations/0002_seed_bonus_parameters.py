"""Parameters of the month close that SPEC leaves to the department (seeded like servicedesk 0002)."""
from datetime import date

from django.db import migrations

DEFAULTS = [
    ("bonus.adjustment_lookback_months", "integer", 3, "月", "R-M9",
     "月度结算时检查前几个已审批月份的更正(更正记入本月)"),
]


def seed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    for name, kind, value, unit, rule, description in DEFAULTS:
        RuleParameter.objects.get_or_create(
            name=name, effective_from=date(2000, 1, 1),
            defaults=dict(kind=kind, value=value, unit=unit, rule=rule, description=description, note="决定"),
        )


def unseed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    RuleParameter.objects.filter(effective_from=date(2000, 1, 1), name__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("bonuses", "0001_initial"), ("servicedesk", "0002_seed_rule_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
