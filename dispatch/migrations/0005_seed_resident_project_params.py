"""R-R3 and R-R6 parameters (signed client links, maintenance contracts), effective from 2000-01-01."""
from datetime import date

from django.db import migrations

I = "integer"

DEFAULTS = [
    # name, kind, value, unit, rule, description
    ("resident.link_valid_days", I, 14, "天", "R-R3", "客户评价/满意度调查签名链接有效天数"),
    ("resident.link_attempts_per_hour", I, 30, "次", "R-R3", "同一来源每小时打开/提交签名链接次数上限"),
    ("contract.inspection_ahead_days", I, 7, "天", "R-R6", "提前生成维保巡检工单的天数"),
    ("contract.renewal_reminder_days", I, 30, "天", "R-R6", "维保合同到期前提醒续约的天数"),
]


def seed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    for name, kind, value, unit, rule, description in DEFAULTS:
        RuleParameter.objects.get_or_create(
            name=name,
            effective_from=date(2000, 1, 1),
            defaults=dict(kind=kind, value=value, unit=unit, rule=rule, description=description, note="R-R3/R-R6 默认值"),
        )


def unseed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    RuleParameter.objects.filter(effective_from=date(2000, 1, 1), name__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0004_resident_projects_contracts"), ("servicedesk", "0002_seed_rule_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
