"""The test clock: the one moment a test run is at (tests/conftest.py chooses it and starts time-machine there).

Default 2026-12-03 10:00 Asia/Shanghai; `pytest --now 2027-01-12T09:00+08:00` or SERVICEDESK_TEST_NOW move it.
Data a test builds relative to "now" on purpose comes from here (or the `fixed_now` fixture), never from the
wall clock; a test whose expected values belong to a particular date pins that date itself.
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")
DEFAULT_NOW = datetime(2026, 12, 3, 10, 0, tzinfo=SH)  # a Thursday morning
NOW_ENV = "SERVICEDESK_TEST_NOW"

_chosen = {"now": DEFAULT_NOW, "source": "default"}


def parse_now(text: str) -> datetime:
    """ISO 8601 with an offset (2027-01-12T09:00+08:00); without one it is Asia/Shanghai. ValueError otherwise."""
    moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SH)
    return moment.astimezone(SH)  # a ZoneInfo destination: time-machine also sets the process's TZ to it


def choose(now: datetime, source: str) -> None:
    _chosen.update(now=now, source=source)


def fixed_now() -> datetime:
    """The moment the run is at (aware, Asia/Shanghai); every test starts there."""
    return _chosen["now"]


def fixed_today() -> date:
    return _chosen["now"].date()


def source() -> str:
    return _chosen["source"]
