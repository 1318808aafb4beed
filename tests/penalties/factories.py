"""pending(...) / confirmed(...): a penalty proposal in one line, through the real services."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from penalties import services
from tests.factories import WorkOrderFactory


PROPOSED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def pending(person, rule="P7", *, on=date(2026, 11, 20), points=None, source=None, reason="响应超时"):
    return services.propose(
        person=person, rule=rule, source=source or WorkOrderFactory(), reason=reason, suggested_points=points, on=on,
        now=PROPOSED_AT,
    )


def confirmed(person, rule="P7", *, by, now, on=date(2026, 11, 20), points=None, serious=False, source=None,
              failed_supervision=False):
    pen = pending(person, rule, on=on, source=source)
    return services.confirm(penalty=pen, by=by, now=now, points=points, serious=serious,
                            reason="" if points in (None, pen.suggested_points) else "经理改分",
                            failed_supervision=failed_supervision)
