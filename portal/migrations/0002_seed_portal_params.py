"""The client portal's parameters (docs/rules.md §3), effective from 2000-01-01."""
from datetime import date

from django.db import migrations

I = "integer"

DEFAULTS = [
    # name, kind, value, unit, rule, description
    ("portal.link_valid_days", I, 365, "天", "", "客户自助页面链接有效天数(创建时按当日生效的取值)"),
    ("portal.link_attempts_per_hour", I, 120, "次", "", "客户自助页面每个链接、每个来源地址每小时访问次数上限"),
]


def seed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    for name, kind, value, unit, rule, description in DEFAULTS:
        RuleParameter.objects.get_or_create(
            name=name,
            effective_from=date(2000, 1, 1),
            defaults=dict(kind=kind, value=value, unit=unit, rule=rule, description=description, note="决定"),
        )


def unseed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    RuleParameter.objects.filter(effective_from=date(2000, 1, 1), name__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_client_links_and_intake_requests"), ("servicedesk", "0002_seed_rule_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
