"""P3 / R-N2: which confirmed P3 raises the dismissal flag is the parameter penalty.P3_dismissal_count."""
from datetime import timedelta

import pytest

from penalties import services
from penalties.models import DismissalFlag
from servicedesk.models import RuleParameter
from servicedesk.texts import render

from .factories import confirmed, pending

pytestmark = pytest.mark.django_db


def test_p3_dismissal_count_parameter_decides_which_p3_raises_the_flag(technician, manager, now):
    RuleParameter.objects.filter(name="penalty.P3_dismissal_count").update(value=3)
    confirmed(technician, "P3", by=manager, now=now)
    services.confirm(penalty=pending(technician, "P3"), by=manager, now=now + timedelta(days=1))
    assert not DismissalFlag.objects.exists()  # the second one no longer flags
    third = services.confirm(penalty=pending(technician, "P3"), by=manager, now=now + timedelta(days=2))
    flag = DismissalFlag.objects.get()
    assert flag.penalty == third and "第 3 次" in render(flag.reason)
