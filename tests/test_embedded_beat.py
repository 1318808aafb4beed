"""Embedded mode runs the beat schedule without Redis and catches up at start-up."""
import pytest

from servicedesk.embedded_beat import EmbeddedBeat
from servicedesk.models import CalendarYear


@pytest.mark.django_db
def test_embedded_beat_runs_every_scan_at_start_and_catches_up():
    CalendarYear.objects.filter(year=2024).delete()
    beat = EmbeddedBeat()
    ran = beat.run_due(first=True)
    assert "calendar-sync-known-years" in ran
    assert CalendarYear.objects.filter(year=2024).exists()
    # not due again a moment later
    assert beat.run_due() == []
