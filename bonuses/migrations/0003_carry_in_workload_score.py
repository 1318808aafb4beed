"""R-M1: a finished carry-in repair (送修) counts in the workload score; its kind's score is a parameter key
(`bonus.workload_scores["carry_in"]`, default 1 like every other kind, so no past score changes)."""
from django.db import migrations

KEY, DEFAULT = "carry_in", "1"


def seed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    for row in RuleParameter.objects.filter(name="bonus.workload_scores"):
        if isinstance(row.value, dict) and KEY not in row.value:
            row.value = {**row.value, KEY: DEFAULT}
            row.save(update_fields=["value"])


def unseed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    for row in RuleParameter.objects.filter(name="bonus.workload_scores"):
        if isinstance(row.value, dict) and KEY in row.value:
            row.value = {k: v for k, v in row.value.items() if k != KEY}
            row.save(update_fields=["value"])


class Migration(migrations.Migration):
    dependencies = [("bonuses", "0002_seed_bonus_parameters"), ("servicedesk", "0002_seed_rule_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
