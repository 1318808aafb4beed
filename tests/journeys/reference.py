"""The parameters every journey's pages read, present whatever ran before: a transactional test flushes the database
and the session's re-seed (tests/conftest.py) does not yet re-run every seeding migration (it misses, among others,
the import limits, the report targets and the travel allowance). Each seed is idempotent (get_or_create)."""
import importlib

import pytest
from django.apps import apps

SEEDS = [
    ("servicedesk.migrations.0002_seed_rule_parameters", "seed"),
    ("servicedesk.migrations.0003_seed_calendar", "seed"),
    ("servicedesk.migrations.0005_travel_allowance_param", "seed"),
    ("servicedesk.migrations.0007_grant_conflict_param", "seed"),
    ("receivables.migrations.0002_seed_key_account_due_param", "seed"),
    ("receivables.migrations.0003_money_flow", "seed_params"),
    ("bonuses.migrations.0002_seed_bonus_parameters", "seed"),
    ("callbacks.migrations.0003_seed_complaint_reply_hours", "seed"),
    ("dispatch.migrations.0005_seed_resident_project_params", "seed"),
    ("penalties.migrations.0003_p3_dismissal_count", "seed"),
    ("reports.migrations.0002_seed_report_targets", "seed"),
]


@pytest.fixture
def reference_data(transactional_db):
    for module, fn in SEEDS:
        getattr(importlib.import_module(module), fn)(apps, None)
