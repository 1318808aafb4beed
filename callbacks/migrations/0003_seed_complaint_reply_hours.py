"""R-K10: the complaint reply deadline (24 h, docs/rules.md §4) as a rule parameter."""
from datetime import date

from django.db import migrations

DEFAULTS = [
    ("complaint.reply_hours", "integer", 24, "小时", "R-K10", "客户投诉答复期限(登记后小时数)"),
]


def seed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    for name, kind, value, unit, rule, description in DEFAULTS:
        RuleParameter.objects.get_or_create(
            name=name, effective_from=date(2000, 1, 1),
            defaults=dict(kind=kind, value=value, unit=unit, rule=rule, description=description, note="R-K10 默认值"),
        )


def unseed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    RuleParameter.objects.filter(effective_from=date(2000, 1, 1), name__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("callbacks", "0002_complaint_any_channel"), ("servicedesk", "0002_seed_rule_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
