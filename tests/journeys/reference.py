"""The parameters and calendar every journey's pages read, present whatever ran before: every seeding migration of
the project's apps is run again (each is idempotent), as tests/conftest.py does after a transactional test."""
import pytest
from django.apps import apps

from ..conftest import _seed_functions


@pytest.fixture
def reference_data(transactional_db):
    for seed in _seed_functions():
        seed(apps, None)
