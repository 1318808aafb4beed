"""Decision (R-S2): a key account's confirmation falls due with its monthly statement, on the
last day of the month `receivables.key_account_due_months` months after the month of sale."""
from datetime import date

from django.db import migrations

NAME = "receivables.key_account_due_months"


def seed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    RuleParameter.objects.get_or_create(
        name=NAME,
        effective_from=date(2000, 1, 1),
        defaults=dict(
            kind="integer",
            value=1,
            unit="月",
            rule="R-S2",
            description="大客户月结:销售月份之后第几个月月底到期",
            note="R-S2 决定",
        ),
    )


def unseed(apps, schema_editor):
    apps.get_model("servicedesk", "RuleParameter").objects.filter(name=NAME, effective_from=date(2000, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("receivables", "0001_initial"), ("servicedesk", "0002_seed_rule_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
