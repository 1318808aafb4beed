from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from servicedesk.choices import WorkOrderStatus
from tests.factories import EquipmentFactory, WorkOrderFactory

SH = ZoneInfo("Asia/Shanghai")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=SH)


@pytest.fixture
def resolved_visit(db, technician):
    """A resolved mobile visit of `technician`, completed Monday 2026-11-23 10:00."""

    def make(*, technician=technician, second_service=False, completed_at=MONDAY_10, client=None):
        eq = EquipmentFactory(**({"client": client} if client else {}))
        return WorkOrderFactory(
            client=eq.client, site=eq.site, equipment=eq, technician=technician,
            status=WorkOrderStatus.RESOLVED, is_second_service=second_service,
        )

    return make
