"""R-T1: the month's statements changed (compiled again, approved, archived). The monthly report (a higher app)
listens and compiles its draft again; bonuses never imports reports (apps depend one way)."""
from django.dispatch import Signal

# sent after the change is committed, with `month` (a date, the first of the month)
statements_changed = Signal()


def announce(month) -> None:
    """Send `statements_changed` once the current transaction commits (never for a rolled-back change)."""
    from django.db import transaction

    transaction.on_commit(lambda: statements_changed.send(sender="bonuses", month=month.replace(day=1)))
