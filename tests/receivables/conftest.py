import pytest

from servicedesk.choices import Role
from tests.factories import staff_with


@pytest.fixture
def gm_office(db):
    return staff_with(Role.GM_OFFICE, name="总经办刘")
